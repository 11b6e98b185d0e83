package dev.atelier.cli;

import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.runtime.LoadedConsistencyModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code atelier sample}: one-step or multistep generation from a consistency model (CONTRACTS.md). */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate images with a consistency model: one step (--steps 1) or a few (Algorithm 1). "
                + "Writes an 8-bit PNG grid with the settings in its 'atelier' tEXt chunk.")
public final class SampleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Model directory, weights file with manifest.json beside it, or shipped name "
                    + "(default: the shipped consistency model).")
    String model;

    @Option(names = "--steps", paramLabel = "K", description = "f evaluations, 1-64 (default: the model's).")
    Integer steps;

    @Option(names = "--seed", paramLabel = "S", description = "Base seed; image i uses S+i (default: random, printed).")
    Long seed;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Number of images (default: 1).")
    int count;

    @Option(names = "--class", paramLabel = "C",
            description = "Class index or name for class-conditional models (default: random per image).")
    String classSpec;

    @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "Output PNG.")
    Path out;

    @Option(names = "--gap", paramLabel = "PX", defaultValue = "0", description = "Pixels between tiles (default: 0).")
    int gap;

    @Option(names = "--json", description = "Print one JSON report on stdout (progress stays on stderr).")
    boolean json;

    @Override
    public Integer call() {
        ImageJobs.checkCount(spec, "--count", count);
        ImageJobs.checkSteps(spec, steps);
        if (gap < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--gap must be 0 or more.");
        }
        common.applyEngineSettings();
        String name = ImageJobs.modelSpec(model);
        try (LoadedConsistencyModel m = ImageJobs.load(name)) {
            int k = steps != null ? steps : m.defaultSteps();
            double[] sigmas = m.schedule(k);
            Integer label = classSpec == null ? null : m.classIndex(classSpec);
            SampleRequest request = new SampleRequest(name, ImageJobs.seed(seed), count,
                    Arrays.stream(sigmas).boxed().toList(), label);
            long t0 = System.nanoTime();
            float[] images = new ConsistencyEngine(m.model()).sample(request, ImageJobs.progress("sample", count));
            double seconds = (System.nanoTime() - t0) / 1e9;
            int[] labels = GenerationRequest.labels(label, m.model().numClasses(), request.imageSeeds());
            return ImageJobs.finish(request, m, images, count, labels, out, gap, json, seconds, null);
        }
    }
}
