package dev.atelier.consistency;

/**
 * Colorization of an RGB model: per pixel A is an orthogonal 3×3 whose first row is the unit luminance
 * direction u = w/|w|, w = (0.2989, 0.5870, 0.1140) (Rec. 601); Ω keeps that first coordinate and generates
 * the two chroma coordinates. For orthogonal A, A⁻¹[(Ay)⊙(1−Ω) + (Ax)⊙Ω] = x + u·uᵀ(y − x) whatever the
 * other two rows are, so that form is what is computed (in double precision): the luminance w·x of the
 * result equals the reference's.
 */
public final class LuminanceKnownPart implements KnownPart {
    /** Rec. 601 luma weights, as in the consistency-model paper's code. */
    public static final double[] LUMA = {0.2989, 0.5870, 0.1140};
    private static final double[] U = unit(LUMA);
    private final int pixels;

    /** @param pixels H·W of the 3-channel images */
    public LuminanceKnownPart(int pixels) {
        this.pixels = pixels;
    }

    /** @return the unit vector along {@code w} */
    static double[] unit(double[] w) {
        double n = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
        return new double[] {w[0] / n, w[1] / n, w[2] / n};
    }

    /** @return the luminance w·(r, g, b) of pixel {@code i} of the image at {@code offset} */
    public static double luminance(float[] img, int offset, int pixels, int i) {
        return LUMA[0] * img[offset + i] + LUMA[1] * img[offset + pixels + i] + LUMA[2] * img[offset + 2 * pixels + i];
    }

    @Override
    public void keepKnown(float[] y, int offset) {
        for (int i = 0; i < pixels; i++) {
            double d = 0;
            for (int c = 0; c < 3; c++) {
                d += U[c] * y[offset + c * pixels + i];
            }
            for (int c = 0; c < 3; c++) {
                y[offset + c * pixels + i] = (float) (U[c] * d);
            }
        }
    }

    @Override
    public void restore(float[] x, float[] y, int offset) {
        for (int i = 0; i < pixels; i++) {
            double d = 0;
            for (int c = 0; c < 3; c++) {
                int j = offset + c * pixels + i;
                d += U[c] * ((double) y[j] - x[j]);
            }
            for (int c = 0; c < 3; c++) {
                int j = offset + c * pixels + i;
                x[j] = (float) (x[j] + U[c] * d);
            }
        }
    }
}
