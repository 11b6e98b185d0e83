package dev.atelier.text;

/** Called before each decoding step, e.g. to report progress or to stop a cancelled job by throwing. */
@FunctionalInterface
public interface StepListener {
    /** No-op listener. */
    StepListener NONE = (step, maxSteps) -> { };

    /**
     * @param step generated tokens so far
     * @param maxSteps the most tokens that may be generated
     */
    void onStep(int step, int maxSteps);
}
