package dev.atelier.cli;

import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.EditClassInference;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.eval.Classifier;
import dev.atelier.image.ImageFiles;
import dev.atelier.runtime.LoadedConsistencyModel;
import dev.atelier.runtime.ModelManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier edit}: zero-shot editing (Algorithm 4) — inpaint, colorize, superres, denoise, stroke,
 * interpolate (CONTRACTS.md). Inputs are center-cropped and resampled to the model's size.
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

    @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "Output PNG.")
    Path out;

    @Option(names = "--gap", paramLabel = "PX", defaultValue = "0", description = "Pixels between tiles (default: 0).")
    int gap;

    @Option(names = "--json", description = "Print one JSON report on stdout (progress stays on stderr).")
    boolean json;

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private void onlyFor(EditTask t, EditTask allowed, Object value, String flag) {
        if (value != null && t != allowed) {
            throw usage(flag + " is only for --task " + allowed.id() + ".");
        }
    }

    @Override
    public Integer call() throws IOException {
        EditTask t;
        try {
            t = EditTask.of(task);
        } catch (AtelierException e) {
            throw usage(e.getMessage());
        }
        onlyFor(t, EditTask.INPAINT, mask, "--mask");
        onlyFor(t, EditTask.DENOISE, sigma, "--sigma");
        onlyFor(t, EditTask.SUPERRES, patch, "--patch");
        onlyFor(t, EditTask.INTERPOLATE, seedA, "--seed-a");
        onlyFor(t, EditTask.INTERPOLATE, seedB, "--seed-b");
        onlyFor(t, EditTask.INTERPOLATE, frames, "--frames");
        if (t.needsImage() && image == null) {
            throw usage("--task " + t.id() + " needs --image.");
        }
        if (!t.needsImage() && image != null) {
            throw usage("--task interpolate makes images from noise; leave out --image.");
        }
        if (t == EditTask.INPAINT && mask == null) {
            throw usage("--task inpaint needs --mask (white = regenerate, black = keep).");
        }
        if (t == EditTask.DENOISE && sigma == null) {
            throw usage("--task denoise needs --sigma, the noise level of the input.");
        }
        if (t == EditTask.DENOISE && (steps != null || sigmas != null)) {
            throw usage("--task denoise is one evaluation at --sigma; leave out --steps and --sigmas.");
        }
        if (steps != null && sigmas != null) {
            throw usage("Give --steps or --sigmas, not both.");
        }
        if (t == EditTask.INTERPOLATE && (count != null || seed != null)) {
            throw usage("--task interpolate uses --frames, --seed-a and --seed-b instead of --count and --seed.");
        }
        if (t == EditTask.DENOISE && ((count != null && count != 1) || seed != null)) {
            throw usage("--task denoise is deterministic; leave out --count and --seed.");
        }
        int n = t == EditTask.INTERPOLATE ? (frames == null ? 8 : frames) : (count == null ? 1 : count);
        ImageJobs.checkCount(spec, t == EditTask.INTERPOLATE ? "--frames" : "--count", n);
        if (t == EditTask.INTERPOLATE && n < 2) {
            throw usage("--frames must be at least 2 (the two ends).");
        }
        if (gap < 0) {
            throw usage("--gap must be 0 or more.");
        }
        ImageJobs.checkSteps(spec, steps);
        if (patch != null && patch < 1) {
            throw usage("--patch " + patch + " is out of range: give a patch side of 1 or more that divides the "
                    + "model's image size (e.g. 4).");
        }
        List<Double> sigmaList = sigmas == null ? null : ImageJobs.parseSigmas(spec, sigmas);

        common.applyEngineSettings();
        String name = ImageJobs.modelSpec(model);
        try (LoadedConsistencyModel m = ImageJobs.load(name)) {
            int size = m.model().size();
            int channels = m.model().channels();
            if (t == EditTask.COLORIZE && channels != 3) {
                throw new AtelierException("Colorization needs an RGB model, but " + name + " has " + channels
                        + " channel. Use a 3-channel consistency model (see docs/MODELS.md).");
            }
            if (t == EditTask.DENOISE) {
                sigmaList = List.of(sigma);
            } else if (sigmaList == null) {
                sigmaList = Arrays.stream(steps != null ? m.schedule(steps) : m.editSchedule(t)).boxed().toList();
            }
            float[] pixels = null;
            boolean[] regenerate = null;
            if (t.needsImage()) {
                ImageFiles.Loaded loaded = ImageFiles.read(image, size, channels);
                pixels = loaded.pixels();
                if (mask != null) {
                    regenerate = ImageFiles.readMask(mask, loaded.sourceWidth(), loaded.sourceHeight(), size);
                }
            }
            boolean interp = t == EditTask.INTERPOLATE;
            long baseSeed = interp || t == EditTask.DENOISE ? 0 : ImageJobs.seed(seed);
            Integer patchSide = t == EditTask.SUPERRES ? Integer.valueOf(patch == null ? 4 : patch) : null;
            EditClassInference.Detected detected = null;
            Integer label;
            if (classSpec == null || classSpec.trim().equalsIgnoreCase("auto")) {
                ConsistencyEngine engine = new ConsistencyEngine(m.model());
                try (Classifier c = t.needsImage() ? Classifier.forModel(m.directory(), m.model()) : null) {
                    detected = EditClassInference.infer(m.model(), c, t, pixels,
                            t.needsImage() ? engine.knownPart(t, regenerate, patchSide) : null, baseSeed);
                }
                label = detected == null ? null : detected.label();
            } else if (classSpec.trim().equalsIgnoreCase("none")) {
                label = ConsistencyModel.NO_CLASS;
            } else {
                label = m.classIndex(classSpec);
            }
            EditRequest request = new EditRequest(t.id(), name, baseSeed, n,
                    sigmaList.size(), sigmaList, label,
                    image == null ? null : image.toString(), image == null ? null : ModelManifest.sha256(image),
                    mask == null ? null : mask.toString(), mask == null ? null : ModelManifest.sha256(mask),
                    sigma, patchSide,
                    interp ? Long.valueOf(ImageJobs.seed(seedA)) : null, interp ? Long.valueOf(ImageJobs.seed(seedB)) : null);
            long t0 = System.nanoTime();
            float[] result = new ConsistencyEngine(m.model()).edit(request, pixels, regenerate,
                    ImageJobs.progress(t.id(), n));
            double seconds = (System.nanoTime() - t0) / 1e9;
            int[] labels = GenerationRequest.labels(label, m.model().numClasses(), m.model().hasNullClass(),
                    request.imageSeeds());
            return ImageJobs.finish(request, m, result, n, labels, out, gap, json, seconds,
                    ImageJobs.detected(detected, m.manifest().classes));
        }
    }
}
