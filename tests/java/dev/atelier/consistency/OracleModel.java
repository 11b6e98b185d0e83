package dev.atelier.consistency;

/**
 * The exact consistency function for data that are N(μ_c, s²) independently per pixel (channel c):
 * f(x, t) = μ + (x − μ)·√(s² + ε²)/√(s² + t²). Used as ground truth for the sampler and the edits.
 */
final class OracleModel implements ConsistencyModel {
    final double[] mu;
    final double s;
    final int size;
    final Parameterization p;
    int calls;

    OracleModel(double[] mu, double s, int size, double sigmaMax) {
        this.mu = mu;
        this.s = s;
        this.size = size;
        this.p = new Parameterization(0.5, 0.002, sigmaMax, Parameterization.NoiseConditioning.LOG_QUARTER);
    }

    /** @return r(t) = √(s² + ε²)/√(s² + t²) */
    double ratio(double t) {
        double eps = p.sigmaMin();
        return Math.sqrt(s * s + eps * eps) / Math.sqrt(s * s + t * t);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int channels() {
        return mu.length;
    }

    @Override
    public int numClasses() {
        return 0;
    }

    @Override
    public Parameterization parameterization() {
        return p;
    }

    @Override
    public float[] denoise(float[] x, float[] sigma, int[] labels) {
        calls++;
        int plane = size * size;
        int n = mu.length * plane;
        float[] out = new float[x.length];
        for (int b = 0; b < sigma.length; b++) {
            double r = ratio(sigma[b]);
            for (int i = 0; i < n; i++) {
                double m = mu[i / plane];
                out[b * n + i] = (float) (m + (x[b * n + i] - m) * r);
            }
        }
        return out;
    }

    /**
     * Exact mean and variance of a K-step sample for one pixel of channel mean μ, with x starting at
     * start + σ_1·z: after step k, x₀ has mean μ + (m − μ)·r_k and variance r_k²·v, where m, v are the mean
     * and variance of the x that went in (v = σ_1² first, then previous variance + σ_k² − ε²).
     *
     * @return {mean, variance}
     */
    double[] exactMoments(double muC, double start, double[] sigmas) {
        double eps = p.sigmaMin();
        double m = start;
        double v = sigmas[0] * sigmas[0];
        for (int k = 0; k < sigmas.length; k++) {
            if (k > 0) {
                v += sigmas[k] * sigmas[k] - eps * eps;
            }
            double r = ratio(sigmas[k]);
            m = muC + (m - muC) * r;
            v = r * r * v;
        }
        return new double[] {m, v};
    }
}
