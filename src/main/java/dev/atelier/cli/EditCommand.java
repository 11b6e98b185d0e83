package dev.atelier.cli;

import dev.atelier.AtelierException;
import dev.atelier.app.EditingRequest;
import dev.atelier.app.ImageInput;
import dev.atelier.app.ImageResult;
import dev.atelier.app.MaskInput;
import dev.atelier.app.Schedule;
import dev.atelier.app.Services;
import dev.atelier.consistency.EditTask;
import dev.atelier.runtime.JobOwner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier edit}: zero-shot editing (Algorithm 4) — inpaint, colorize, superres, denoise, stroke,
 * interpolate (docs/FORMATS.md). Inputs are center-cropped and resampled to the model's size.
 */
@Command(name = "edit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Zero-shot editing with a consistency model. The input image is center-cropped to a square "
                + "and resampled to the model's size; the output is at the model's size.")
public final class EditCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--task", required = true, paramLabel = "TASK",
            description = "inpaint, colorize, superres, denoise, stroke or interpolate.")
    String task;

    @Option(names = "--model", paramLabel = "MODEL", description = "Model (default: the shipped consistency model).")
    String model;

    @Option(names = "--image", paramLabel = "IMG", description = "Input image: PNG, JPEG, BMP or GIF (not for interpolate).")
    Path image;

    @Option(names = "--mask", paramLabel = "MASK.png",
            description = "inpaint: white (>= 128) = regenerate, black = keep; resized to the image with nearest neighbour.")
    Path mask;

    @Option(names = "--sigma", paramLabel = "S", description = "denoise: the input's noise level (data in [-1, 1]).")
    Double sigma;

    @Option(names = "--patch", paramLabel = "P", description = "superres: keep each PxP patch's mean (default: 4).")
    Integer patch;

    @Option(names = "--sigmas", paramLabel = "LIST",
            description = "Noise levels, largest first (stroke default: \"5.38,2.24\"; others: the model's schedule).")
    String sigmas;

    @Option(names = "--seed-a", paramLabel = "A", description = "interpolate: first seed (default: random).")
    Long seedA;

    @Option(names = "--seed-b", paramLabel = "B", description = "interpolate: second seed (default: random).")
    Long seedB;

    @Option(names = "--frames", paramLabel = "N", description = "interpolate: frames from A to B (default: 8).")
    Integer frames;

    @Option(names = "--steps", paramLabel = "K", description = "f evaluations, 1-64 (default: the model's).")
    Integer steps;

    @Option(names = "--seed", paramLabel = "S", description = "Base seed; result i uses S+i (default: random, printed).")
    Long seed;

    @Option(names = "--count", paramLabel = "N", description = "Number of results (default: 1).")
    Integer count;

    @Option(names = "--class", paramLabel = "C", description = "auto (inferred from the kept part), none (the "
            + "model's unconditional mode), or a class index or name (default: auto).")
    String classSpec;

    @Option(names = "--guidance", paramLabel = "W", description = "Class guidance: 0 (none) to 10; a small W "
            + "such as 0.3 gives images more typical of their class (default: the task's, from the model's manifest).")
    Double guidance;

    @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "Output PNG.")
    Path out;

    @Option(names = "--gap", paramLabel = "PX", defaultValue = "0", description = "Pixels between tiles (default: 0).")
    int gap;

    @Option(names = "--json", description = "Print one JSON report on stdout (progress stays on stderr).")
    boolean json;

    private CommandLine.ParameterException usage(String message) {
        return Flags.usageError(spec, message);
    }

    private void onlyFor(EditTask t, EditTask allowed, Object value, String flag) {
        if (value != null && t != allowed) {
            throw usage(flag + " is only for --task " + allowed.id() + ".");
        }
    }

    /** Which flags belong to which task is the command line's business; the request checks the values. */
    @Override
    public Integer call() {
        EditTask t;
        try {
            t = EditTask.of(task);
        } catch (AtelierException e) {
            throw usage(Flags.message(e));
        }
        onlyFor(t, EditTask.INPAINT, mask, "--mask");
        onlyFor(t, EditTask.DENOISE, sigma, "--sigma");
        onlyFor(t, EditTask.SUPERRES, patch, "--patch");
        onlyFor(t, EditTask.INTERPOLATE, seedA, "--seed-a");
        onlyFor(t, EditTask.INTERPOLATE, seedB, "--seed-b");
        onlyFor(t, EditTask.INTERPOLATE, frames, "--frames");
        if (!t.needsImage() && image != null) {
            throw usage("--task interpolate makes images from noise; leave out --image.");
        }
        if (t == EditTask.DENOISE && (steps != null || sigmas != null || guidance != null)) {
            throw usage("--task denoise is one evaluation at --sigma; leave out --steps, --sigmas and --guidance.");
        }
        if (t == EditTask.INTERPOLATE && (count != null || seed != null)) {
            throw usage("--task interpolate uses --frames, --seed-a and --seed-b instead of --count and --seed.");
        }
        if (t == EditTask.DENOISE && ((count != null && count != 1) || seed != null)) {
            throw usage("--task denoise is deterministic; leave out --count and --seed.");
        }
        List<Double> sigmaList = sigmas == null ? null : ImageReport.parseSigmas(spec, sigmas);
        ImageReport.checkOut(spec, out);
        EditingRequest request = Flags.usage(spec, () -> request(t, sigmaList));
        ImageReport.checkGap(spec, gap);
        try (Services services = common.services()) {
            ImageResult r = services.editing().run(JobOwner.CLI, request, ImageReport.progressOnStderr());
            return ImageReport.finish(r, out, gap, json);
        }
    }

    private EditingRequest request(EditTask t, List<Double> sigmaList) {
        ImageInput in = image == null ? null : ImageInput.of(image);
        int n = count == null ? 1 : count;
        Schedule schedule = new Schedule(steps, sigmaList, guidance);
        switch (t) {
            case INPAINT:
                return new EditingRequest.Inpaint(model, in, mask == null ? null : MaskInput.of(mask), seed, n, schedule,
                        classSpec);
            case COLORIZE:
                return new EditingRequest.Colorize(model, in, seed, n, schedule, classSpec);
            case SUPERRES:
                return new EditingRequest.Superres(model, in, patch == null ? EditingRequest.Superres.DEFAULT_PATCH
                        : patch, seed, n, schedule, classSpec);
            case DENOISE:
                return new EditingRequest.Denoise(model, in, sigma, classSpec);
            case STROKE:
                return new EditingRequest.Stroke(model, in, seed, n, schedule, classSpec);
            case INTERPOLATE:
                return new EditingRequest.Interpolate(model, seedA, seedB, frames == null
                        ? EditingRequest.Interpolate.DEFAULT_FRAMES : frames, schedule, classSpec);
            default:
                throw new IllegalStateException(t.toString());
        }
    }
}
