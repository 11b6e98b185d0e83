package dev.atelier.app;

import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.GenerationRequest;
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
        Integer label = r.classLabel() == null ? null : m.classIndex(r.classLabel());

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
        } else if (t == EditTask.STROKE && schedule.steps() == null) {
            sigmas = Arrays.stream(ConsistencyEngine.STROKE_SIGMAS).boxed().toList();
        } else {
            int k = schedule.steps() != null ? schedule.steps() : m.defaultSteps();
            sigmas = Arrays.stream(m.schedule(k)).boxed().toList();
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
        EditRequest settings = new EditRequest(t.id(), name, seed, count, sigmas.size(), sigmas, label,
                image == null ? null : image.path(), image == null ? null : image.sha256(),
                mask == null ? null : mask.path(), mask == null ? null : mask.sha256(),
                sigma, patch, seedA, seedB);
        long t0 = System.nanoTime();
        float[] result = new ConsistencyEngine(m.model()).edit(settings, pixels, regenerate,
                SamplingService.steps(ctx, t.id(), m, count));
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] labels = GenerationRequest.labels(label, m.model().numClasses(), settings.imageSeeds());
        return new ImageResult(settings, result, count, channels, size, labels, seconds);
    }
}
