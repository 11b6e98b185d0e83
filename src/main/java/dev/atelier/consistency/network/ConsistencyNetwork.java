package dev.atelier.consistency.network;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A trainable network F(x, c_noise, y) with named parameters, as the consistency trainer sees it: the
 * {@link UNet} for images, a small MLP for toy data in tests. Results land in x's manager.
 */
public interface ConsistencyNetwork extends AutoCloseable {
    /** @return the parameters by name (live, in a fixed order) */
    Map<String, NDArray> parameters();

    /**
     * @param x input already scaled by c_in, shape (B, …)
     * @param cNoise c_noise(σ) per row
     * @param labels class per row (−1 = none), or null
     * @return F, the same shape as x
     */
    NDArray forward(NDArray x, float[] cNoise, int[] labels);

    /** Makes every parameter collect gradients or not. */
    default void setRequiresGradient(boolean on) {
        parameters().values().forEach(p -> p.setRequiresGradient(on));
    }

    @Override
    void close();
}
