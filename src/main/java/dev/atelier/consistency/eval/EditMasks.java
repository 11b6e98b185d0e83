package dev.atelier.consistency.eval;

import dev.atelier.AtelierException;
import java.util.Random;

/**
 * The inpainting masks {@code atelier eval-edit} measures: H·W flags, true = regenerate. {@code right} and
 * {@code bottom} halves, the {@code centre} square of half the side, and random {@code strokes} (four brush
 * strokes 3 px wide, each a random walk of 8 segments, drawn per image from its own seed).
 */
public final class EditMasks {
    /** The mask kinds, as {@code --mask} names them. */
    public static final String[] KINDS = {"right", "bottom", "centre", "strokes"};

    private EditMasks() {
    }

    /**
     * @param kind one of {@link #KINDS}
     * @param size the image side
     * @param seed the stroke seed (strokes only)
     */
    public static boolean[] of(String kind, int size, long seed) {
        boolean[] m = new boolean[size * size];
        switch (kind) {
            case "right" -> rect(m, size, size / 2, 0, size, size);
            case "bottom" -> rect(m, size, 0, size / 2, size, size);
            case "centre", "center" -> rect(m, size, size / 4, size / 4, size - size / 4, size - size / 4);
            case "strokes" -> strokes(m, size, new Random(seed));
            default -> throw new AtelierException("Unknown mask \"" + kind + "\". Use one of right, bottom, centre, "
                    + "strokes.");
        }
        return m;
    }

    /** Marks the rectangle [x0, x1) × [y0, y1). */
    static void rect(boolean[] m, int size, int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * size + x] = true;
            }
        }
    }

    private static void strokes(boolean[] m, int size, Random r) {
        for (int s = 0; s < 4; s++) {
            double x = r.nextDouble() * size;
            double y = r.nextDouble() * size;
            double angle = r.nextDouble() * 2 * Math.PI;
            for (int seg = 0; seg < 8; seg++) {
                angle += (r.nextDouble() - 0.5) * 1.5;
                double len = 2 + r.nextDouble() * 3;
                for (double t = 0; t <= len; t += 0.5) {
                    dab(m, size, x + Math.cos(angle) * t, y + Math.sin(angle) * t);
                }
                x = Math.max(0, Math.min(size - 1, x + Math.cos(angle) * len));
                y = Math.max(0, Math.min(size - 1, y + Math.sin(angle) * len));
            }
        }
    }

    /** Marks the pixels whose centres lie within 1.5 px of (cx, cy). */
    private static void dab(boolean[] m, int size, double cx, double cy) {
        for (int y = (int) Math.floor(cy - 2); y <= (int) Math.ceil(cy + 2); y++) {
            for (int x = (int) Math.floor(cx - 2); x <= (int) Math.ceil(cx + 2); x++) {
                if (x >= 0 && y >= 0 && x < size && y < size) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    if (dx * dx + dy * dy <= 2.25) {
                        m[y * size + x] = true;
                    }
                }
            }
        }
    }
}
