package dev.atelier.cli;

import dev.atelier.app.ImageResult;
import dev.atelier.app.SamplingRequest;
import dev.atelier.app.Services;
import dev.atelier.runtime.JobOwner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code atelier sample}: one-step or multistep generation from a consistency model (docs/FORMATS.md). */
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

    @Option(names = "--guidance", paramLabel = "W", description = "Class guidance: 0 (none) to 10; a small W "
            + "such as 0.3 gives images more typical of their class (default: the model's, from its manifest).")
    Double guidance;

    @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "Output PNG.")
    Path out;

    @Option(names = "--gap", paramLabel = "PX", defaultValue = "0", description = "Pixels between tiles (default: 0).")
    int gap;

    @Option(names = "--json", description = "Print one JSON report on stdout (progress stays on stderr).")
    boolean json;

    @Override
    public Integer call() {
        SamplingRequest request = Flags.usage(spec, () -> new SamplingRequest(model, seed, count, steps, classSpec, guidance));
        ImageReport.checkGap(spec, gap);
        ImageReport.checkOut(spec, out);
        try (Services services = common.services()) {
            ImageResult r = services.sampling().run(JobOwner.CLI, request, ImageReport.progressOnStderr());
            return ImageReport.finish(r, out, gap, json);
        }
    }
}
