package dev.atelier.ui.inpaint;

/**
 * One result of a run, with the input it was made from (for the before/after view and "use as input").
 *
 * @param before the input's C·S·S values at the time of the run
 * @param after the result's C·S·S values
 * @param channels C
 * @param size S
 * @param seed the result's seed
 * @param label the class used, or −1 for an unconditional model
 * @param parameters the generation parameters as JSON (stored in a saved PNG)
 * @param ran what ran, in a few words ("inpaint, σ 80.0, 0.8")
 */
public record EditResult(float[] before, float[] after, int channels, int size, long seed, int label,
        String parameters, String ran) {
}
