package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.EditClassInference;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.eval.Classifier;
import dev.atelier.image.ImageFiles;
import dev.atelier.runtime.JobContext;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.LoadedConsistencyModel;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * Zero-shot editing with a consistency model: an {@link EditingRequest} (one record per task; images and masks
 * from files or memory) → {@link ImageResult}, previews per step. Inputs are center-cropped to a square and
 * resampled to the model's size.
 */
public final class EditingService extends LaneService<EditingRequest, ImageResult, SampleProgress> {
    /** The class value that infers the class from the kept part (also what no class means). */
    public static final String AUTO = "auto";
    /** The class value that asks for the model's unconditional mode. */
    public static final String NONE = "none";

    private final Services services;

    EditingService(Services services) {
        super(services.lane(), JobKind.EDIT);
        this.services = services;
    }

    @Override
    ImageResult execute(EditingRequest r, JobContext<SampleProgress> ctx) {
        String name = services.catalogue().modelOrDefault(r.model(), ModelDescription.CONSISTENCY);
        LoadedConsistencyModel m = services.consistencyModel(ctx, name);
        EditTask t = r.task();
        int size = m.model().size();
        int channels = m.model().channels();
        ImageInput image = r.image();
        MaskInput mask = r.mask();
        Schedule schedule = r.schedule();
        int count = r.count();
        boolean seeded = t != EditTask.DENOISE && t != EditTask.INTERPOLATE;
        long seed = seeded ? SamplingService.seedOrRandom(r.seed()) : 0;
        Double sigma = r instanceof EditingRequest.Denoise d ? d.sigma() : null;
        Integer patch = r instanceof EditingRequest.Superres q ? Integer.valueOf(q.patch()) : null;
        Long seedA = null;
        Long seedB = null;
        if (r instanceof EditingRequest.Interpolate q) {
            seedA = SamplingService.seedOrRandom(q.seedA());
            seedB = SamplingService.seedOrRandom(q.seedB());
        }
        List<Double> sigmas;
        if (t == EditTask.DENOISE) {
            sigmas = List.of(sigma);
        } else if (schedule.sigmas() != null) {
            sigmas = schedule.sigmas();
        } else if (schedule.steps() != null) {
            sigmas = Arrays.stream(m.schedule(schedule.steps())).boxed().toList();
        } else {
            sigmas = Arrays.stream(m.editSchedule(t)).boxed().toList(); // the manifest's tuned default for the task
        }
        float[] pixels = null;
        boolean[] regenerate = null;
        if (image != null) {
            BufferedImage decoded = image.decode();
            pixels = ImageFiles.fromImage(decoded, size, channels).pixels();
            if (mask != null) {
                regenerate = mask.toModel(decoded.getWidth(), decoded.getHeight(), size);
            }
        }
        long t0 = System.nanoTime();
        ConsistencyEngine engine = new ConsistencyEngine(m.model());
        EditClassInference.Detected detected = null;
        Integer label;
        String given = r.classLabel();
        if (given == null || given.equalsIgnoreCase(AUTO)) {
            detected = detectClass(m, engine, t, pixels, regenerate, patch, seed, services.inferenceClassifier(ctx, m));
            label = detected == null ? null : detected.label();
        } else if (given.equalsIgnoreCase(NONE)) {
            if (!m.model().hasNullClass()) {
                throw AtelierException.field("classLabel", "This model has no unconditional (\"none\") class: it was "
                        + (m.model().numClasses() == 0 ? "trained without classes. Leave out {classLabel}."
                        : "not trained with one. Give one of its classes, or auto."));
            }
            label = ConsistencyModel.NO_CLASS;
        } else {
            label = m.classIndex(given);
        }
        EditRequest settings = new EditRequest(t.id(), name, seed, count, sigmas.size(), sigmas, label,
                image == null ? null : image.path(), image == null ? null : image.sha256(),
                mask == null ? null : mask.path(), mask == null ? null : mask.sha256(),
                sigma, patch, seedA, seedB, detected, m.guidance(schedule.guidance(), m.editGuidance(t)));
        float[] result = engine.edit(settings, pixels, regenerate, SamplingService.steps(ctx, t.id(), m, count));
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] labels = GenerationRequest.labels(label, m.model().numClasses(), m.model().hasNullClass(),
                settings.imageSeeds());
        return new ImageResult(settings, result, count, channels, size, labels, seconds);
    }

    /**
     * The class an edit draws with when none is given: inferred from the kept part by the model's class-inference
     * classifier ({@code kept-classifier/}, else {@code classifier/}) or, without one, by the model itself; null for
     * unconditional models and interpolation (no input).
     */
    static EditClassInference.Detected detectClass(LoadedConsistencyModel m, ConsistencyEngine engine, EditTask t,
            float[] pixels, boolean[] regenerate, Integer patch, long seed, Classifier classifier) {
        if (m.model().numClasses() == 0 || pixels == null) {
            return null;
        }
        EditClassInference.Detected d = EditClassInference.infer(m.model(), classifier, t, pixels,
                engine.knownPart(t, regenerate, patch), seed);
        return d == null ? null : d.named(m.manifest().classes);
    }
}
