package dev.atelier.consistency.eval;

import dev.atelier.consistency.InpaintMask;
import dev.atelier.consistency.PatchMeanKnownPart;
import dev.atelier.train.RandomStream;

/**
 * Training views for the classifier that infers an edit's class from what the edit keeps
 * ({@value #DIR}/ in a model directory, fitted by {@code atelier eval-edit --fit-classifier}): each training image is
 * shown as {@link dev.atelier.consistency.EditClassInference#view} would show an edit's input — whole (1 in 6),
 * with a region filled with the mean of the rest (a half from any side, a centre square, a random rectangle or
 * random strokes: 3 in 6), as patch means (p = 2 or 4: 1 in 6), or with Gaussian noise of σ 0.1…1 (1 in 6).
 * {@link #augmentHalves} leans the same mix toward half images ({@code --views halves}).
 */
public final class KeptViews {
    /** Sub-directory of a model directory that holds the class-inference classifier. */
    public static final String DIR = "kept-classifier";

    private KeptViews() {
    }

    /** The view mixes {@code --fit-classifier --views} chooses from. */
    public static final String[] MIXES = {"all", "halves"};

    /**
     * Turns an image into a kept view of the half-leaning mix, in place: 3 in 4 are a half from any side filled with
     * the mean of the other half (the views from which a whole half has to be inferred, the hardest), the rest
     * {@link #augment}'s mix.
     */
    public static void augmentHalves(float[] x, int offset, int channels, int size, RandomStream r) {
        if (r.nextInt(4) == 0) {
            augment(x, offset, channels, size, r);
            return;
        }
        new InpaintMask(half(size, r.nextInt(4)), channels).meanFill(x, offset);
    }

    /** @return the mask of half {@code side} (0 right, 1 left, 2 bottom, 3 top) of an S×S image */
    static boolean[] half(int size, int side) {
        boolean[] m = new boolean[size * size];
        int half = size / 2;
        switch (side) {
            case 0 -> EditMasks.rect(m, size, half, 0, size, size);
            case 1 -> EditMasks.rect(m, size, 0, 0, half, size);
            case 2 -> EditMasks.rect(m, size, 0, half, size, size);
            default -> EditMasks.rect(m, size, 0, 0, size, half);
        }
        return m;
    }

    /** Turns the C·S·S image at {@code offset} of {@code x} into a random kept view, in place. */
    public static void augment(float[] x, int offset, int channels, int size, RandomStream r) {
        int kind = r.nextInt(6);
        if (kind == 0) {
            return;
        }
        if (kind <= 3) {
            boolean[] m = new boolean[size * size];
            int pick = r.nextInt(7);
            switch (pick) {
                case 0, 1, 2, 3 -> m = half(size, pick);
                case 4 -> EditMasks.rect(m, size, size / 4, size / 4, size - size / 4, size - size / 4);
                case 5 -> {
                    int w = 4 + r.nextInt(size / 2);
                    int h = 4 + r.nextInt(size / 2);
                    int x0 = r.nextInt(size - w + 1);
                    int y0 = r.nextInt(size - h + 1);
                    EditMasks.rect(m, size, x0, y0, x0 + w, y0 + h);
                }
                default -> m = EditMasks.of("strokes", size, r.nextLong());
            }
            new InpaintMask(m, channels).meanFill(x, offset);
        } else if (kind == 4) {
            new PatchMeanKnownPart(channels, size, r.nextInt(2) == 0 ? 2 : 4).keepKnown(x, offset);
        } else {
            double sigma = 0.1 + 0.9 * r.nextDouble();
            int n = channels * size * size;
            for (int i = 0; i < n; i++) {
                x[offset + i] = (float) Math.max(-1, Math.min(1, x[offset + i] + sigma * r.nextGaussian()));
            }
        }
    }
}
