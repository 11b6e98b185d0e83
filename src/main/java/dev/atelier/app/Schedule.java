package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.consistency.SigmaSchedule;
import java.util.List;

/**
 * How an edit samples: a step count (the model's σ list for it) or an explicit σ list, or neither for the task's
 * default; and the class-guidance weight, or null for the task's default. The σ values are checked against the
 * model's range when the job runs.
 *
 * @param steps 1…64, or null
 * @param sigmas noise levels, largest first, or null
 * @param guidance the class-guidance weight w, 0…10 (0: none), or null for the task's default (the manifest's)
 */
public record Schedule(Integer steps, List<Double> sigmas, Double guidance) {
    /**
     * The task's default: the model's tuned editing schedule for the task ({@code edit_schedules} in its manifest),
     * else its default sampling steps (stroke: 5.38 then 2.24).
     */
    public static final Schedule DEFAULT = new Schedule(null, null, null);

    /** A schedule with the task's default guidance. */
    public Schedule(Integer steps, List<Double> sigmas) {
        this(steps, sigmas, null);
    }

    /** @throws AtelierException when both are given, or one is out of range */
    public Schedule {
        if (steps != null && sigmas != null) {
            throw AtelierException.field("sigmas", "Give {steps} or {sigmas}, not both.");
        }
        Checks.steps(steps);
        if (sigmas != null) {
            if (sigmas.isEmpty() || sigmas.size() > SigmaSchedule.MAX_STEPS) {
                throw AtelierException.field("sigmas", "{sigmas} needs 1 to " + SigmaSchedule.MAX_STEPS
                        + " noise levels; got " + sigmas.size() + ".");
            }
            for (Double s : sigmas) {
                if (s == null || !Double.isFinite(s) || s <= 0) {
                    throw AtelierException.field("sigmas", "{sigmas} " + sigmas + " has " + s + ": give positive "
                            + "noise levels, largest first, e.g. 5.38, 2.24.");
                }
            }
            sigmas = List.copyOf(sigmas);
        }
        dev.atelier.consistency.GenerationRequest.checkGuidance(guidance);
    }

    /** @return a schedule of {@code steps} steps (null: the default) */
    public static Schedule ofSteps(Integer steps) {
        return new Schedule(steps, null);
    }
}
