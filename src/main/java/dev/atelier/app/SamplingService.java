package dev.atelier.app;

import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.ConsistencySampler;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.runtime.JobContext;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.LoadedConsistencyModel;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Samples images from a consistency model: {@link SamplingRequest} → {@link ImageResult}, previews per step. */
public final class SamplingService extends LaneService<SamplingRequest, ImageResult, SampleProgress> {
    private final Services services;

    SamplingService(Services services) {
        super(services.lane(), JobKind.SAMPLE);
        this.services = services;
    }

    @Override
    ImageResult execute(SamplingRequest r, JobContext<SampleProgress> ctx) {
        String name = services.catalogue().modelOrDefault(r.model(), ModelDescription.CONSISTENCY);
        LoadedConsistencyModel m = services.consistencyModel(ctx, name);
        int k = r.steps() != null ? r.steps() : m.defaultSteps();
        double[] sigmas = m.schedule(k);
        Integer label = r.classLabel() == null ? null : m.classIndex(r.classLabel());
        SampleRequest settings = new SampleRequest(name, seedOrRandom(r.seed()), r.count(),
                Arrays.stream(sigmas).boxed().toList(), label, m.guidance(r.guidance(), m.guidance()));
        long t0 = System.nanoTime();
        float[] images = new ConsistencyEngine(m.model()).sample(settings, steps(ctx, "sample", m, r.count()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] labels = GenerationRequest.labels(label, m.model().numClasses(), settings.imageSeeds());
        return new ImageResult(settings, images, r.count(), m.model().channels(), m.model().size(), labels, seconds);
    }

    /** @return the given seed, or a fresh random one (the result reports it) */
    static long seedOrRandom(Long given) {
        return given != null ? given : ThreadLocalRandom.current().nextLong(0, 1L << 31);
    }

    /**
     * @return a step listener that stops a cancelled job, reports progress ("sample: 4 images, evaluation 1/2")
     *     and, when someone listens, a copy of the current images
     */
    static ConsistencySampler.StepListener steps(JobContext<SampleProgress> ctx, String what,
            LoadedConsistencyModel m, int count) {
        int c = m.model().channels();
        int size = m.model().size();
        return (done, total, current) -> {
            ctx.checkCancelled();
            ctx.progress((double) done / total, String.format(Locale.ROOT, "%s: %d image%s, evaluation %d/%d",
                    what, count, count == 1 ? "" : "s", done, total));
            if (ctx.wantsPartials()) {
                ctx.partial(new SampleProgress(done, total, current.clone(), count, c, size));
            }
        };
    }
}
