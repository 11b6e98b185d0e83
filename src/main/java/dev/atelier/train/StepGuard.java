package dev.atelier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.atelier.AtelierException;
import java.util.Collection;

/**
 * Keeps one bad step from ending a long run. A step whose loss or any gradient is not finite (a rare overflow)
 * is skipped: its gradients are cleared, so the weights, the optimiser state and the EMA stay as they were, while
 * the step still counts (its batch and random draws are used up, so a resumed run sees the same data). Only
 * {@link #LIMIT} such steps in a row stop the run: that is a divergence, not a fluke. Since no update ever uses
 * a non-finite gradient, the weights stay finite and every checkpoint can be resumed from.
 */
public final class StepGuard {
    /** Non-finite steps in a row that stop the run. */
    public static final int LIMIT = 5;
    private static final NDIndex ALL = new NDIndex("...");
    private final String advice;
    private int streak;
    private long firstOfStreak;
    private long skipped;

    /**
     * @param advice what to do after a divergence, as an {@link AtelierException} template (e.g. "Lower {lr} and
     *     resume from the last checkpoint.")
     */
    public StepGuard(String advice) {
        this.advice = advice;
    }

    /**
     * Decides whether step {@code step} may update the weights.
     *
     * @param loss the step's loss
     * @param params the parameters the update would change (those without a gradient are ignored)
     * @return true if the loss and every gradient are finite; false if the step is to be skipped (its gradients
     *     are then zero)
     * @throws AtelierException (field lr) at the {@link #LIMIT}-th non-finite step in a row
     */
    public boolean admit(long step, double loss, Collection<NDArray> params) {
        if (Double.isFinite(loss) && gradientsFinite(params)) {
            streak = 0;
            return true;
        }
        for (NDArray p : params) {
            if (p.hasGradient()) {
                try (NDArray g = p.getGradient()) {
                    g.set(ALL, 0f);
                }
            }
        }
        skipped++;
        if (streak++ == 0) {
            firstOfStreak = step;
        }
        if (streak >= LIMIT) {
            throw AtelierException.field("lr", "Training diverged: the loss or its gradients were not finite at "
                    + LIMIT + " steps in a row (" + firstOfStreak + " to " + step + "; the last loss was " + loss
                    + "). " + advice);
        }
        return false;
    }

    /** @return how many steps this run has skipped */
    public long skipped() {
        return skipped;
    }

    /** @return a line for the log about a skipped step */
    public static String skippedNote(long step) {
        return "step " + step + ": the loss or a gradient was not finite; its update was skipped (the run stops after "
                + LIMIT + " such steps in a row).";
    }

    /** The sum of every gradient is finite exactly when no gradient holds an infinity or a NaN (or overflows). */
    private static boolean gradientsFinite(Collection<NDArray> params) {
        double total = 0;
        for (NDArray p : params) {
            if (p.hasGradient()) {
                try (NDArray g = p.getGradient(); NDArray s = g.sum()) {
                    total += s.getFloat();
                }
            }
        }
        return Double.isFinite(total);
    }
}
