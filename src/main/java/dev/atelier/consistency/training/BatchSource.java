package dev.atelier.consistency.training;

import dev.atelier.train.Checkpoint;

/** Training examples, drawn batch by batch, with a state that a checkpoint can save and restore. */
public interface BatchSource {
    /** @return values per example (e.g. C·H·W) */
    int exampleSize();

    /** @return the shape of one example, e.g. {1, 28, 28} or {2} */
    long[] exampleShape();

    /** @return number of classes, 0 when the data have no labels */
    int numClasses();

    /**
     * Fills the next batch.
     *
     * @param x receives batch·exampleSize values in [−1, 1]
     * @param labels receives the class of each example, or is ignored when there are none
     */
    void next(float[] x, int[] labels);

    /** Saves the position and random state into the checkpoint header. */
    void save(Checkpoint c);

    /** Restores what {@link #save(Checkpoint)} wrote. */
    void restore(Checkpoint c);
}
