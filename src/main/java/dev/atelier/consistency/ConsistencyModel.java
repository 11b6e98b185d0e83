package dev.atelier.consistency;

/**
 * A consistency function f(x, σ[, y]) → x₀ over a batch, with plain float arrays at the boundary so that
 * samplers and editors are testable without an engine. Implementations backed by DJL live in
 * {@code runtime/} (or the training package) and must be called only from the inference lane's thread.
 */
public interface ConsistencyModel extends AutoCloseable {
    /** The label that asks a class-conditional model for no particular class (when {@link #hasNullClass()}). */
    int NO_CLASS = -1;

    /** @return image side length (square images) */
    int size();

    /** @return channels: 1 (gray) or 3 (RGB) */
    int channels();

    /** @return number of classes for class-conditional models, 0 for unconditional ones */
    int numClasses();

    /**
     * @return true if the model also knows "no class" (label {@link #NO_CLASS}): a class-conditional model trained
     *     with label dropout, as {@code atelier train-cm} trains them
     */
    default boolean hasNullClass() {
        return false;
    }

    /**
     * @return the most images one {@link #denoise} call may take without exceeding the memory Atelier allows a
     *     model ({@link dev.atelier.Limits#memoryBudgetBytes()}); unbounded when the model cannot estimate it
     */
    default int maxBatch() {
        return Integer.MAX_VALUE;
    }

    /** @return the noise range and scalings of this model */
    Parameterization parameterization();

    /**
     * Evaluates f.
     *
     * @param x {@code batch·C·H·W} values in NCHW order, the noisy images
     * @param sigma the noise level of each image, length {@code batch}
     * @param labels class of each image, or null for unconditional models
     * @return {@code batch·C·H·W} estimates of the clean images (not clamped)
     */
    float[] denoise(float[] x, float[] sigma, int[] labels);

    /** Releases native resources; the default does nothing. */
    @Override
    default void close() {
    }
}
