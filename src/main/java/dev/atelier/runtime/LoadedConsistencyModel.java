package dev.atelier.runtime;

import dev.atelier.base.ModelManifest;
import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.EditSchedule;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SigmaSchedule;
import java.nio.file.Path;
import java.util.List;

/**
 * A consistency model with its manifest, as {@link ConsistencyModels#load(Path)} returns it.
 *
 * @param manifest the manifest (schedules, default steps, class names, licence)
 * @param model the consistency function
 * @param directory the model directory
 */
public record LoadedConsistencyModel(ModelManifest manifest, ConsistencyModel model, Path directory)
        implements AutoCloseable {
    /** @return the manifest's default step count, or 2 if it names none */
    public int defaultSteps() {
        return manifest.default_steps == null ? 2 : manifest.default_steps;
    }

    /** @return the σ list for K steps: the manifest's tuned list, or the documented default */
    public double[] schedule(int steps) {
        return SigmaSchedule.forSteps(steps, manifest.schedules, model.parameterization());
    }

    /**
     * @return the default σ list of an edit task: the manifest's {@code edit_schedules} entry, or the model's
     *     default sampling schedule (stroke: SDEdit's levels); denoise has none (one evaluation at its σ)
     */
    public double[] editSchedule(EditTask task) {
        return EditSchedule.forTask(task, manifest.edit_schedules, schedule(defaultSteps()), model.parameterization());
    }

    /** @return the manifest's default class-guidance weight for sampling, 0 when it gives none */
    public double guidance() {
        return manifest.defaultGuidance();
    }

    /** @return the manifest's default class-guidance weight for an edit task ({@code edit_schedules}), 0 when none */
    public double editGuidance(EditTask task) {
        return manifest.editGuidance(task.id());
    }

    /**
     * The weight a job runs with: the one asked for, else the default; none for a model without classes.
     *
     * @param asked the request's weight, or null for {@code fallback}
     * @param fallback the manifest's default for the job
     * @return w, or null when the model has no classes and none was asked for
     * @throws dev.atelier.AtelierException (field {@code guidance}) when the model cannot be guided by {@code asked}
     */
    public Double guidance(Double asked, double fallback) {
        if (asked == null && model.numClasses() == 0) {
            return null;
        }
        double w = asked != null ? asked : fallback;
        dev.atelier.consistency.GuidedModel.check(w, model);
        return w;
    }

    /**
     * @param spec a class index or one of the manifest's class names
     * @return the class index
     */
    public int classIndex(String spec) {
        List<String> names = manifest.classes;
        int count = model.numClasses();
        GenerationRequest.checkClass(count == 0 ? 0 : null, count);
        for (int i = 0; names != null && i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(spec.trim())) {
                return i;
            }
        }
        try {
            int i = Integer.parseInt(spec.trim());
            if (i >= 0 && i < count) {
                return i;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw AtelierException.field("classLabel", "Unknown class \"" + spec + "\". This model's classes are 0…" + (count - 1)
                + (names == null ? "" : ": " + String.join(", ", names)) + ".");
    }

    @Override
    public void close() {
        model.close();
    }
}
