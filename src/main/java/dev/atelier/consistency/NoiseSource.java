package dev.atelier.consistency;

import java.util.Random;

/**
 * The Gaussian noise of ONE image: every draw the sampler makes for image i comes from its own source, so
 * image i does not depend on the batch it is generated in. Sources are seeded base + i by the caller.
 */
public interface NoiseSource {
    /**
     * Fills {@code dst[offset … offset+n)} with the next n standard normal values of this image.
     */
    void fill(float[] dst, int offset, int n);

    /**
     * A source backed by {@link java.util.Random#nextGaussian()}, whose algorithm the Java specification
     * fixes, so a seed gives the same noise on every JVM and platform.
     */
    static NoiseSource gaussian(long seed) {
        Random r = new Random(seed);
        return (dst, offset, n) -> {
            for (int i = 0; i < n; i++) {
                dst[offset + i] = (float) r.nextGaussian();
            }
        };
    }

    /**
     * Spherical interpolation between two sources: each draw takes n values from both and returns
     * slerp(a, b; t) = sin((1−t)θ)/sin θ · a + sin(tθ)/sin θ · b, θ the angle between them. It keeps the norm
     * of Gaussian noise (a straight blend would shrink it), and t = 0 / 1 give exactly a / b.
     */
    static NoiseSource slerp(long seedA, long seedB, double t) {
        NoiseSource a = gaussian(seedA);
        NoiseSource b = gaussian(seedB);
        return (dst, offset, n) -> {
            float[] za = new float[n];
            float[] zb = new float[n];
            a.fill(za, 0, n);
            b.fill(zb, 0, n);
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) za[i] * zb[i];
                na += (double) za[i] * za[i];
                nb += (double) zb[i] * zb[i];
            }
            double cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
            double theta = Math.acos(cos);
            double wa;
            double wb;
            if (theta < 1e-6) {
                wa = 1 - t;
                wb = t;
            } else {
                wa = Math.sin((1 - t) * theta) / Math.sin(theta);
                wb = Math.sin(t * theta) / Math.sin(theta);
            }
            for (int i = 0; i < n; i++) {
                dst[offset + i] = (float) (wa * za[i] + wb * zb[i]);
            }
        };
    }
}
