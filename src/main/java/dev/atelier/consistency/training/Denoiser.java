package dev.atelier.consistency.training;

import ai.djl.ndarray.NDArray;

/** A teacher for consistency distillation: the denoiser D(x, σ) ≈ E[x₀ | x], whose PF-ODE is dx/dσ = (x − D)/σ. */
public interface Denoiser extends AutoCloseable {
    /**
     * @param x noisy inputs (B, …)
     * @param sigma σ per row
     * @param labels class per row (−1 = none), or null
     * @return D(x, σ), the same shape as x, in x's manager
     */
    NDArray denoise(NDArray x, float[] sigma, int[] labels);

    @Override
    default void close() {
    }
}
