package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.app.EditingRequest;
import dev.atelier.app.SamplingRequest;
import dev.atelier.app.Schedule;
import dev.atelier.app.Services;
import dev.atelier.app.TextRequest;
import dev.atelier.base.ModelManifest;
import dev.atelier.runtime.JobOwner;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier bench cache}: how long a job takes through the services when its model must first be loaded
 * (the first call of a session) and when the lane's cache already holds it. The engine is started before the
 * first measurement, so the difference is the model load alone.
 */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "First-call vs cached-call latency of jobs through the services (model load vs cache hit).")
public final class CacheBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", paramLabel = "MODEL", description = "Consistency model (default: the shipped one).")
    String model;

    @Option(names = "--text-model", paramLabel = "MODEL", defaultValue = "brown-lm",
            description = "Language model (default: ${DEFAULT-VALUE}).")
    String textModel;

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N",
            description = "Cached calls to time; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw Flags.usageError(spec, "--repeats must be at least 1.");
        }
        ObjectNode report = ModelManifest.JSON.createObjectNode();
        try (Services services = common.services()) {
            // start the engine first (outside the figures): an unrelated one-off cost
            services.lane().run(JobOwner.CLI, dev.atelier.runtime.JobKind.ENGINE, ctx -> services.engine().apply(),
                    null);
            report.put("device", dev.atelier.base.Engines.describe(services.engine().apply()));
            SamplingRequest sample = new SamplingRequest(model, 1L, 1, 1, null);
            measure(report, "sample", () -> services.sampling().run(JobOwner.CLI, sample, null));
            EditingRequest edit = new EditingRequest.Interpolate(model, 1L, 2L, 2, Schedule.ofSteps(1), null);
            measure(report, "edit", () -> services.editing().run(JobOwner.CLI, edit, null));
            TextRequest text = TextRequest.sharedConstraints(textModel, List.of("The"),
                    List.of(ConstraintSpec.ofFlag(ConstraintSpec.Kind.PHRASE, "the")),
                    new BeamSearchConfig(SearchMode.STRICT, 2, null, 3, 0, 1.0, EarlyStopping.FALSE, 1, 0));
            measure(report, "text", () -> services.text().run(JobOwner.CLI, text, null));
            report.put("models_loaded", services.lane().models().loads());
        }
        if (json) {
            System.out.println(ModelManifest.JSON.writeValueAsString(report));
        } else {
            System.out.println("Device: " + report.get("device").asText());
            for (String job : new String[] {"sample", "edit", "text"}) {
                ObjectNode j = (ObjectNode) report.get(job);
                System.out.printf(Locale.ROOT, "%-7s first call %8.1f ms   cached call %8.1f ms (median of %d)%n",
                        job, j.get("first_ms").asDouble(), j.get("cached_ms").asDouble(), repeats);
            }
            System.out.println("Models loaded: " + report.get("models_loaded").asLong());
        }
        return 0;
    }

    private void measure(ObjectNode report, String name, Supplier<?> job) {
        long t0 = System.nanoTime();
        job.get();
        double first = (System.nanoTime() - t0) / 1e6;
        double[] cached = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            job.get();
            cached[i] = (System.nanoTime() - t) / 1e6;
        }
        ObjectNode o = report.putObject(name);
        o.put("first_ms", Math.round(first * 10) / 10.0);
        o.put("cached_ms", Math.round(BenchStats.median(cached) * 10) / 10.0);
    }
}
