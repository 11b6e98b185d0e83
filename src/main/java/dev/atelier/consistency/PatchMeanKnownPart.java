package dev.atelier.consistency;

/**
 * Super-resolution: per channel and p×p patch, A is an orthogonal p²×p² whose first row is the unit mean
 * direction (1/p, …, 1/p); Ω keeps that coordinate (the patch mean, up to the factor p) and generates the
 * rest. For orthogonal A, A⁻¹[(Ay)⊙(1−Ω) + (Ax)⊙Ω] = x + u·uᵀ(y − x): each patch of x is shifted so its
 * mean equals the reference patch's mean, which is what is computed (sums in double precision).
 */
public final class PatchMeanKnownPart implements KnownPart {
    private final int channels;
    private final int size;
    private final int patch;

    /**
     * @param channels image channels
     * @param size image side
     * @param patch p, which must divide {@code size}
     */
    public PatchMeanKnownPart(int channels, int size, int patch) {
        if (patch < 1 || size % patch != 0) {
            throw new IllegalArgumentException("patch " + patch + " does not divide the image size " + size);
        }
        this.channels = channels;
        this.size = size;
        this.patch = patch;
    }

    /** @return the mean of patch (px, py) of channel c of the image at {@code offset} */
    public static double patchMean(float[] img, int offset, int size, int patch, int c, int px, int py) {
        double s = 0;
        for (int dy = 0; dy < patch; dy++) {
            int row = offset + c * size * size + (py * patch + dy) * size + px * patch;
            for (int dx = 0; dx < patch; dx++) {
                s += img[row + dx];
            }
        }
        return s / (patch * patch);
    }

    @Override
    public void keepKnown(float[] y, int offset) {
        forEachPatch((c, px, py) -> {
            double m = patchMean(y, offset, size, patch, c, px, py);
            set(y, offset, c, px, py, m, true);
        });
    }

    @Override
    public void restore(float[] x, float[] y, int offset) {
        forEachPatch((c, px, py) -> {
            double shift = patchMean(y, offset, size, patch, c, px, py) - patchMean(x, offset, size, patch, c, px, py);
            set(x, offset, c, px, py, shift, false);
        });
    }

    private void set(float[] img, int offset, int c, int px, int py, double v, boolean replace) {
        for (int dy = 0; dy < patch; dy++) {
            int row = offset + c * size * size + (py * patch + dy) * size + px * patch;
            for (int dx = 0; dx < patch; dx++) {
                img[row + dx] = (float) (replace ? v : img[row + dx] + v);
            }
        }
    }

    private interface PatchVisitor {
        void visit(int c, int px, int py);
    }

    private void forEachPatch(PatchVisitor v) {
        int n = size / patch;
        for (int c = 0; c < channels; c++) {
            for (int py = 0; py < n; py++) {
                for (int px = 0; px < n; px++) {
                    v.visit(c, px, py);
                }
            }
        }
    }
}
