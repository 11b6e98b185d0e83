package dev.atelier.consistency;

import dev.atelier.AtelierException;
import dev.atelier.base.ModelManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The default noise levels of one editing task, as a model's manifest records them under
 * {@code "edit_schedules": {"inpaint": {"sigmas": [80, 10, 2, 2, 0.5]}, …}} (optional; without it editing uses the
 * model's sampling schedule). A repeated level resamples: the sampler re-noises its estimate to the same σ and
 * denoises it again, with the known part put back each time, so the kept pixels keep steering the fill (RePaint's
 * resampling, in consistency-model form). {@code resample} R repeats every level after the first R more times. Editing wants more evaluations at mid σ than sampling, where σ 80 followed by
 * 0.8 leaves the second step too small to reconcile the fill with what is kept.
 *
 * @param sigmas σ_1 ≥ … ≥ σ_K
 * @param resample extra passes at each level after the first (0 or null: none)
 */
public record EditSchedule(List<Double> sigmas, Integer resample) {
    /** @return the schedule a manifest entry describes */
    public static EditSchedule of(ModelManifest.EditEntry e) {
        return new EditSchedule(e.sigmas(), e.resample());
    }

    /** The most resampling passes per level. */
    public static final int MAX_RESAMPLE = 8;

    /**
     * @return the σ list the sampler runs: every level after the first repeated 1 + resample times
     * @throws AtelierException when the list is empty, not descending, outside (ε, T], or longer than the sampler takes
     */
    public double[] expanded(Parameterization p) {
        if (sigmas == null || sigmas.isEmpty()) {
            throw new AtelierException("An editing schedule has no σ values. Give \"sigmas\" (largest first) in the "
                    + "manifest's \"edit_schedules\".");
        }
        int r = resample == null ? 0 : resample;
        if (r < 0 || r > MAX_RESAMPLE) {
            throw new AtelierException("An editing schedule has resample " + r + "; use 0 to " + MAX_RESAMPLE + ".");
        }
        double[] base = sigmas.stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 1; i < base.length; i++) {
            if (!(base[i] <= base[i - 1])) {
                throw new AtelierException("The editing schedule " + Arrays.toString(base) + " rises. List the noise "
                        + "levels from the largest to the smallest (a repeated level resamples).");
            }
        }
        List<Double> out = new ArrayList<>();
        out.add(base[0]);
        for (int i = 1; i < base.length; i++) {
            for (int k = 0; k <= r; k++) {
                out.add(base[i]);
            }
        }
        return SigmaSchedule.validate(out.stream().mapToDouble(Double::doubleValue).toArray(), p);
    }

    /**
     * The default σ list of an editing task: the manifest's entry for the task, or else the model's K-step
     * sampling schedule (stroke: SDEdit's levels {@link ConsistencyEngine#STROKE_SIGMAS}).
     *
     * @param task the task (not denoise: that is one evaluation at the input's σ)
     * @param tuned the manifest's {@code edit_schedules}, or null (old manifests)
     * @param sampling the model's default sampling schedule
     */
    public static double[] forTask(EditTask task, Map<String, ModelManifest.EditEntry> tuned, double[] sampling,
            Parameterization p) {
        ModelManifest.EditEntry s = tuned == null ? null : tuned.get(task.id());
        if (s != null) {
            return of(s).expanded(p);
        }
        return task == EditTask.STROKE ? ConsistencyEngine.STROKE_SIGMAS.clone() : sampling.clone();
    }
}
