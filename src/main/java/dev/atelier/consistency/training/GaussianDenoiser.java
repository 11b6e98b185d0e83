package dev.atelier.consistency.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The exact denoiser of data that are N(μ, s²) per value: D(x, σ) = μ + s²/(s² + σ²)·(x − μ). Its consistency
 * function is f(x, t) = μ + (x − μ)·√(s² + ε²)/√(s² + t²), which makes it an oracle for distillation tests.
 */
public final class GaussianDenoiser implements Denoiser {
    private final double mean;
    private final double std;

    /** @param mean μ @param std s */
    public GaussianDenoiser(double mean, double std) {
        this.mean = mean;
        this.std = std;
    }

    @Override
    public NDArray denoise(NDArray x, float[] sigma, int[] labels) {
        float[] gain = new float[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            gain[i] = (float) (std * std / (std * std + (double) sigma[i] * sigma[i]));
        }
        long[] dims = new long[x.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = sigma.length;
        return x.sub(mean).mul(x.getManager().create(gain, new Shape(dims))).add(mean);
    }
}
