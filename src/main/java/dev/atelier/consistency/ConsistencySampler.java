package dev.atelier.consistency;

/**
 * Multistep consistency sampling (Algorithm 1 of Song et al. 2023) and its zero-shot editing form
 * (Algorithm 4). With σ_1 &gt; … &gt; σ_K:
 * <pre>
 *   y ← known part of the reference (A⁻¹[(Ay)⊙(1−Ω)]), or 0 when sampling from scratch
 *   x ← y + σ_1·z;           x₀ ← clamp(f(x, σ_1));  put the known part back
 *   for k = 2…K:  x ← x₀ + √(σ_k² − ε²)·z;  x₀ ← clamp(f(x, σ_k));  put the known part back
 * </pre>
 * Plain sampling is the case y = 0, σ_1 = T, no known part; SDEdit (stroke-guided) is a reference without
 * a known part. Every z of image i comes from image i's own {@link NoiseSource}. f is clamped to [−1, 1]
 * before the known part is put back, so known pixels are never altered by the clamp.
 */
public final class ConsistencySampler {
    /** Told after each f evaluation; may throw to cancel (e.g. a lane job's checkCancelled). */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param done evaluations finished, 1…total
         * @param total the number of evaluations
         * @param current the current estimate x₀ of the whole batch (a preview; copy it to keep it, never modify)
         */
        void step(int done, int total, float[] current);
    }

    private final ConsistencyModel model;

    /** @param model the consistency function to sample with */
    public ConsistencySampler(ConsistencyModel model) {
        this.model = model;
    }

    /**
     * Samples from scratch.
     *
     * @param sigmas σ_1 … σ_K, descending (σ_1 = T for Algorithm 1)
     * @param noise one source per image
     * @param labels one class per image, or null for an unconditional model
     * @param listener progress and cancellation, or null
     * @return batch·C·H·W values in [−1, 1]
     */
    public float[] sample(double[] sigmas, NoiseSource[] noise, int[] labels, StepListener listener) {
        return run(sigmas, noise, labels, null, null, listener);
    }

    /**
     * Runs Algorithm 4.
     *
     * @param sigmas σ_1 … σ_K, descending
     * @param noise one source per image
     * @param labels one class per image, or null
     * @param reference batch·C·H·W reference images y in [−1, 1], or null for none (y = 0)
     * @param known the known part to put back after each step (taken from {@code reference}), or null to
     *     regenerate everything
     * @param listener progress and cancellation, or null
     * @return batch·C·H·W values (in [−1, 1] except where a put-back known part lies outside)
     */
    public float[] run(double[] sigmas, NoiseSource[] noise, int[] labels, float[] reference, KnownPart known,
            StepListener listener) {
        int batch = noise.length;
        int n = model.channels() * model.size() * model.size();
        double eps = model.parameterization().sigmaMin();
        float[] y = reference == null ? new float[batch * n] : reference.clone();
        if (y.length != batch * n) {
            throw new IllegalArgumentException("reference has " + y.length + " values, expected " + batch * n);
        }
        if (known != null) {
            for (int b = 0; b < batch; b++) {
                known.keepKnown(y, b * n);
            }
        }
        float[] x0 = y;
        for (int k = 0; k < sigmas.length; k++) {
            float[] x = new float[batch * n]; // fresh: a model may return (and so own) the array it was given
            double scale = k == 0 ? sigmas[0] : Math.sqrt(sigmas[k] * sigmas[k] - eps * eps);
            for (int b = 0; b < batch; b++) {
                noise[b].fill(x, b * n, n);
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (x0[i] + scale * x[i]);
            }
            float[] sigma = new float[batch];
            java.util.Arrays.fill(sigma, (float) sigmas[k]);
            x0 = evaluate(x, sigma, labels, k + 1, sigmas.length);
            if (known != null) {
                for (int b = 0; b < batch; b++) {
                    known.restore(x0, y, b * n);
                }
            }
            if (listener != null) {
                listener.step(k + 1, sigmas.length, x0);
            }
        }
        return x0;
    }

    /**
     * Denoises images that carry Gaussian noise of a known level: one evaluation x₀ = clamp(f(y, σ)).
     *
     * @param noisy batch·C·H·W images in the model's range with noise of std σ (in that range's units)
     * @param sigma σ, in (ε, T]
     * @param labels one class per image, or null
     */
    public float[] denoise(float[] noisy, double sigma, int[] labels) {
        int n = model.channels() * model.size() * model.size();
        float[] s = new float[noisy.length / n];
        java.util.Arrays.fill(s, (float) sigma);
        return evaluate(noisy.clone(), s, labels, 1, 1);
    }

    /**
     * One f evaluation, checked: the output must have the input's size and be finite everywhere. Every
     * evaluation is checked, not only the load-time test run, because clamping would turn ∞ into a white and
     * NaN into a meaningless pixel that looks like a result.
     *
     * @return clamp(f(x, σ))
     * @throws AtelierException naming the evaluation and the noise level at which the model failed
     */
    private float[] evaluate(float[] x, float[] sigma, int[] labels, int step, int steps) {
        float[] out = model.denoise(x, sigma, labels);
        if (out.length != x.length) {
            throw new dev.atelier.AtelierException("The model returned " + out.length + " values for " + x.length
                    + " at evaluation " + step + " of " + steps + "; its manifest's image size or channels do not "
                    + "match the network. Fix manifest.json.");
        }
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                int n = model.channels() * model.size() * model.size();
                throw new dev.atelier.AtelierException("The model returned " + out[i] + " (image " + (i / n + 1)
                        + ", evaluation " + step + " of " + steps + ", sigma " + sigma[0] + "), so the result would be "
                        + "wrong and nothing was written. The weights may be damaged or the manifest's c_noise "
                        + "convention wrong; try fewer steps or another model.");
            }
        }
        clamp(out);
        return out;
    }

    private static void clamp(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(-1f, Math.min(1f, v[i]));
        }
    }
}
