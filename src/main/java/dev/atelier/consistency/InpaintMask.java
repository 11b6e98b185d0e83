package dev.atelier.consistency;

/**
 * Inpainting: A = I and Ω = the mask. Known pixels are copied back from the reference (a select, never a
 * blend, so they stay bit-exact); the mask applies to all channels of a pixel.
 */
public final class InpaintMask implements KnownPart {
    private final boolean[] regenerate;
    private final int channels;

    /**
     * @param regenerate H·W flags, true = a pixel to regenerate (white in a mask file), false = keep
     * @param channels the image's channel count
     */
    public InpaintMask(boolean[] regenerate, int channels) {
        this.regenerate = regenerate.clone();
        this.channels = channels;
    }

    @Override
    public void keepKnown(float[] y, int offset) {
        int hw = regenerate.length;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < hw; i++) {
                if (regenerate[i]) {
                    y[offset + c * hw + i] = 0f;
                }
            }
        }
    }

    @Override
    public void restore(float[] x, float[] y, int offset) {
        int hw = regenerate.length;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < hw; i++) {
                if (!regenerate[i]) {
                    x[offset + c * hw + i] = y[offset + c * hw + i];
                }
            }
        }
    }

    /**
     * Fills the pixels to regenerate of one image with the mean of its kept pixels, per channel (the "mean fill"
     * an edit should beat; also what a classifier sees when it infers the class from the kept part).
     */
    public void meanFill(float[] y, int offset) {
        int hw = regenerate.length;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            int kept = 0;
            for (int i = 0; i < hw; i++) {
                if (!regenerate[i]) {
                    sum += y[offset + c * hw + i];
                    kept++;
                }
            }
            float mean = kept == 0 ? 0f : (float) (sum / kept);
            for (int i = 0; i < hw; i++) {
                if (regenerate[i]) {
                    y[offset + c * hw + i] = mean;
                }
            }
        }
    }

    /** @return the number of pixels to regenerate */
    public int regenerated() {
        int n = 0;
        for (boolean b : regenerate) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
