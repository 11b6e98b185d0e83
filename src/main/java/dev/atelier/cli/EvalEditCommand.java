package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.app.EditingRequest;
import dev.atelier.app.ImageInput;
import dev.atelier.app.MaskInput;
import dev.atelier.app.Schedule;
import dev.atelier.app.Services;
import dev.atelier.image.PngImages;
import dev.atelier.runtime.JobOwner;
import java.awt.image.BufferedImage;
import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.ConsistencySampler;
import dev.atelier.consistency.EditClassInference;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.GuidedModel;
import dev.atelier.consistency.KnownPart;
import dev.atelier.consistency.NoiseSource;
import dev.atelier.consistency.PatchMeanKnownPart;
import dev.atelier.consistency.eval.Classifier;
import dev.atelier.consistency.eval.EditMasks;
import dev.atelier.consistency.eval.FeatureStats;
import dev.atelier.consistency.eval.FrechetDistance;
import dev.atelier.consistency.eval.KeptViews;
import dev.atelier.consistency.training.ImageData;
import dev.atelier.runtime.ConsistencyModels;
import dev.atelier.runtime.LoadedConsistencyModel;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.Checkpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier eval-edit}: how well zero-shot editing keeps to the image, judged by the classifier in the
 * model's {@code classifier/} directory on the first N test images: its accuracy on the originals, on the
 * baseline that only shows the kept part (mean fill, patch means, the noisy input) and on the edited images;
 * the Fréchet distance of the edited images to the test set; how many edits kept the known pixels bit-exact;
 * the time per image; and the warm time of one interactive edit (one image, 4 results, class inference included).
 * Editing runs as {@code atelier edit} runs it: the same class inference and the same default schedule; the
 * interactive time goes through the editing service itself.
 */
@Command(name = "eval-edit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate zero-shot editing on test images with the model's classifier: accuracy on originals, "
                + "on a mean-fill baseline and on the edits; Fréchet distance; known pixels exact; time per image.")
public final class EvalEditCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "fashion-mnist", description = "Model directory or shipped name "
            + "(default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--data", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Directory with the t10k- IDX files (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--task", defaultValue = "inpaint", description = "inpaint, superres or denoise (default: "
            + "${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--mask", defaultValue = "right", description = "inpaint: right, bottom, centre or strokes "
            + "(default: ${DEFAULT-VALUE}).")
    String mask;

    @Option(names = "--sigma", defaultValue = "0.5", description = "denoise: noise level added to the test images "
            + "(default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--patch", defaultValue = "2", description = "superres: patch side p (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--count", defaultValue = "1000", description = "Test images, the first N (default: "
            + "${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "1", description = "Noise seed; image i uses seed + i "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sigmas", description = "Override the task's default σ list (largest first; a repeated value "
            + "resamples at that level).")
    String sigmas;

    @Option(names = "--guidance", paramLabel = "W", description = "Class guidance weight, 0 (none) to 10 "
            + "(default: the task's, from the model's manifest).")
    Double guidance;

    @Option(names = "--class-from", defaultValue = "auto", description = "auto (as atelier edit: the classifier if "
            + "the model has one), classifier, consistency, none (the null class), random (one per image), "
            + "truth (the test label: an upper bound) (default: ${DEFAULT-VALUE}).")
    String classFrom;

    @Option(names = "--interactive-runs", defaultValue = "5", description = "Warm timed runs of one edit with 4 "
            + "results (0: skip) (default: ${DEFAULT-VALUE}).")
    int interactiveRuns;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Option(names = "--fit-classifier", description = "Train the class-inference classifier on kept views of the "
            + "train- IDX images in --data (whole, mean-filled regions, patch means, noisy) and store it in "
            + "MODEL/kept-classifier/.")
    boolean fit;

    @Option(names = "--epochs", defaultValue = "2", description = "With --fit-classifier: epochs (default: "
            + "${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "With --fit-classifier: Adam learning rate "
            + "(default: ${DEFAULT-VALUE}; a smaller one to fine-tune with --continue).")
    double lr;

    @Option(names = "--views", defaultValue = "all", description = "With --fit-classifier: the kept views to train "
            + "on: all (whole, halves, squares, strokes, patch means, noisy) or halves (3 in 4 a half image, the rest "
            + "as all) (default: ${DEFAULT-VALUE}).")
    String views;

    @Option(names = "--continue", description = "With --fit-classifier: go on training the model's current "
            + "kept-classifier/ for --epochs more instead of starting from random weights (use a new --seed).")
    boolean resume;

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        EditTask t;
        try {
            t = EditTask.of(task);
        } catch (AtelierException e) {
            throw usage(e.getMessage());
        }
        if (t != EditTask.INPAINT && t != EditTask.SUPERRES && t != EditTask.DENOISE) {
            throw usage("eval-edit measures inpaint, superres and denoise (the tasks with a known answer); got " + task
                    + ".");
        }
        if (count < 1 || count > 10000) {
            throw usage("--count " + count + " is out of range: give 1 to 10000 test images.");
        }
        if (!List.of("auto", "classifier", "consistency", "none", "random", "truth").contains(classFrom)) {
            throw usage("--class-from " + classFrom + " is not one of auto, classifier, consistency, none, random, "
                    + "truth.");
        }
        if (t == EditTask.INPAINT && !Arrays.asList(EditMasks.KINDS).contains(mask)) {
            throw usage("--mask " + mask + " is not one of right, bottom, centre, strokes.");
        }
        if (t == EditTask.DENOISE && (sigmas != null || guidance != null)) {
            throw usage("--task denoise is one evaluation at --sigma; leave out --sigmas and --guidance.");
        }
        List<Double> sigmaOverride = sigmas == null ? null : ImageReport.parseSigmas(spec, sigmas);
        ai.djl.Device device = common.device();
        Path dir = ModelLocator.resolve(model);
        if (fit) {
            if (!Arrays.asList(KeptViews.MIXES).contains(views)) {
                throw usage("--views " + views + " is not one of all, halves.");
            }
            if (!(lr > 0 && lr < 1)) {
                throw usage("--lr " + lr + " is out of range: give a learning rate in (0, 1), e.g. 3e-4.");
            }
            return fitClassifier(dir, device);
        }
        Path classifierDir = dir.resolve(Classifier.DIR);
        ImageData test = ImageData.load(data, 28, 0, false);
        if (test.labels() == null) {
            throw new AtelierException("--data " + data + " has no t10k labels. Give the directory with the "
                    + "t10k-images and t10k-labels IDX files.");
        }
        try (LoadedConsistencyModel m = ConsistencyModels.load(ModelLocator.resolve(model), device);
             Classifier classifier = Classifier.load(classifierDir, device);
             Classifier inference = Classifier.forModel(m.directory(), m.model(), device)) {
            ConsistencyModel cm = m.model();
            if (test.size() != cm.size() || test.channels() != cm.channels()) {
                throw new AtelierException("The test images are " + test.size() + " px with " + test.channels()
                        + " channel(s), the model makes " + cm.size() + " px with " + cm.channels() + ".");
            }
            count = Math.min(count, test.count());
            double[] schedule = t == EditTask.DENOISE ? new double[] {sigma}
                    : sigmaOverride != null ? sigmaOverride.stream().mapToDouble(Double::doubleValue).toArray()
                    : m.editSchedule(t);
            Double g = Flags.usage(spec, () -> m.guidance(guidance, m.editGuidance(t)));
            double w = g == null ? 0 : g;
            Result r = run(m, classifier, inference, t, schedule, w, test);
            Checkpoint statsFile = Checkpoint.read(classifierDir.resolve(Classifier.STATS));
            double fd = FrechetDistance.between(FeatureStats.of(classifier.run(r.edited, count).features(),
                    Classifier.FEATURES), FeatureStats.load(statsFile, "test"));
            double interactiveMs = interactiveRuns > 0 ? interactive(test, sigmaOverride) : Double.NaN;
            report(dir, t, schedule, w, r, fd, accuracy(classifier, r.originals, test),
                    accuracy(classifier, r.baseline, test), accuracy(classifier, r.edited, test), interactiveMs);
        }
        return 0;
    }

    private int fitClassifier(Path dir, ai.djl.Device device) throws Exception {
        ImageData train = ImageData.load(data, 28, 0, true);
        ImageData test = ImageData.load(data, 28, 0, false);
        if (train.source().equals(test.source()) || train.labels() == null || test.labels() == null) {
            throw new AtelierException("--data must be a directory with labelled train- and t10k- IDX files.");
        }
        long t0 = System.nanoTime();
        Path out = dir.resolve(KeptViews.DIR);
        if (resume && !java.nio.file.Files.isRegularFile(out.resolve(ModelManifest.FILE))) {
            throw new AtelierException("--continue needs a kept-classifier to go on from, and " + out + " has none. "
                    + "Fit one first without --continue.");
        }
        java.nio.file.Files.createDirectories(out);
        ModelManifest.Training before = resume ? ModelManifest.read(out).training : null;
        try (Classifier c = resume ? Classifier.load(out, device)
                : Classifier.create(train.size(), train.channels(), train.classes().size(), seed, device)) {
            int batch = Math.min(128, train.count());
            boolean halves = views.equals("halves");
            c.train(train, epochs, batch, lr, seed, System.err, (x, offset, r) -> {
                if (halves) {
                    KeptViews.augmentHalves(x, offset, train.channels(), train.size(), r);
                } else {
                    KeptViews.augment(x, offset, train.channels(), train.size(), r);
                }
            });
            int n = test.imageSize();
            float[] x = new float[test.count() * n];
            for (int i = 0; i < test.count(); i++) {
                test.copyTo(i, x, i * n);
            }
            double whole = 0;
            Classifier.Output o = c.run(x, test.count());
            for (int i = 0; i < test.count(); i++) {
                whole += o.predicted(i, c.numClasses()) == test.labels()[i] ? 1 : 0;
            }
            whole /= test.count();
            ModelManifest.Training tr = new ModelManifest.Training();
            tr.command = "atelier " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            tr.data = train.source();
            tr.steps = (long) epochs * (train.count() / batch);
            tr.seconds = Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
            if (before != null && before.command != null) {
                tr.command = before.command + "; then " + tr.command;
                tr.steps += before.steps == null ? 0 : before.steps;
                tr.seconds += before.seconds == null ? 0 : before.seconds;
            }
            c.save(out, "Atelier class-inference classifier (kept views)", train.classes(), tr, whole);
            System.out.printf(Locale.ROOT, "Class-inference classifier: test accuracy on whole images %.2f%%; written "
                    + "to %s%n", 100 * whole, out);
        }
        return 0;
    }

    /** The images of one evaluation. */
    private record Result(float[] originals, float[] baseline, float[] edited, int knownExact, double knownError,
            double secondsPerImage, double classAgreement) {
    }

    private Result run(LoadedConsistencyModel m, Classifier classifier, Classifier inference, EditTask t,
            double[] schedule, double w, ImageData test) {
        ConsistencyModel cm = m.model();
        ConsistencyEngine engine = new ConsistencyEngine(cm);
        ConsistencySampler sampler = new ConsistencySampler(new GuidedModel(cm, w));
        int n = test.imageSize();
        float[] originals = new float[count * n];
        float[] inputs = new float[count * n];
        float[] baseline = new float[count * n];
        KnownPart[] known = new KnownPart[count];
        for (int i = 0; i < count; i++) {
            test.copyTo(i, originals, i * n);
            System.arraycopy(originals, i * n, inputs, i * n, n);
            if (t == EditTask.DENOISE) {
                float[] z = new float[n];
                NoiseSource.gaussian(seed + 1_000_000L + i).fill(z, 0, n);
                for (int j = 0; j < n; j++) {
                    inputs[i * n + j] += (float) (sigma * z[j]);
                    baseline[i * n + j] = Math.max(-1f, Math.min(1f, inputs[i * n + j]));
                }
            } else {
                known[i] = engine.knownPart(t, t == EditTask.INPAINT ? EditMasks.of(mask, cm.size(), seed + i) : null,
                        patch);
                float[] b = Arrays.copyOfRange(originals, i * n, (i + 1) * n);
                if (known[i] instanceof dev.atelier.consistency.InpaintMask im) {
                    im.meanFill(b, 0);
                } else {
                    known[i].keepKnown(b, 0);
                }
                System.arraycopy(b, 0, baseline, i * n, n);
            }
        }
        long t0 = System.nanoTime();
        int[] labels = labels(cm, classifier, inference, t, inputs, known, test);
        int agree = 0;
        for (int i = 0; labels != null && i < count; i++) {
            agree += labels[i] == test.labels()[i] ? 1 : 0;
        }
        float[] edited = new float[count * n];
        for (int from = 0; from < count; from += ConsistencyEngine.CHUNK) {
            int to = Math.min(count, from + ConsistencyEngine.CHUNK);
            int[] y = labels == null ? null : Arrays.copyOfRange(labels, from, to);
            float[] ref = Arrays.copyOfRange(inputs, from * n, to * n);
            float[] part;
            if (t == EditTask.DENOISE) {
                part = sampler.denoise(ref, sigma, y);
            } else {
                NoiseSource[] noise = new NoiseSource[to - from];
                for (int i = from; i < to; i++) {
                    noise[i - from] = NoiseSource.gaussian(seed + i);
                }
                part = sampler.run(schedule, noise, y, ref, perImage(Arrays.copyOfRange(known, from, to), n), null);
            }
            System.arraycopy(part, 0, edited, from * n, part.length);
            System.err.printf(Locale.ROOT, "eval-edit: %d/%d images%n", to, count);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int exact = 0;
        double knownError = 0;
        for (int i = 0; i < count && t != EditTask.DENOISE; i++) {
            float[] a = Arrays.copyOfRange(edited, i * n, (i + 1) * n);
            float[] b = Arrays.copyOfRange(inputs, i * n, (i + 1) * n);
            if (known[i] instanceof PatchMeanKnownPart) {
                known[i].keepKnown(a, 0);
                known[i].keepKnown(b, 0);
                double e = 0;
                for (int j = 0; j < n; j++) {
                    e = Math.max(e, Math.abs(a[j] - b[j]));
                }
                knownError = Math.max(knownError, e);
                exact += e < 1e-5 ? 1 : 0;
            } else {
                known[i].restore(a, b, 0); // puts the input's known pixels into a: unchanged iff they were exact
                exact += Arrays.equals(a, Arrays.copyOfRange(edited, i * n, (i + 1) * n)) ? 1 : 0;
            }
        }
        return new Result(originals, baseline, edited, exact, knownError, seconds / count,
                labels == null ? Double.NaN : (double) agree / count);
    }

    /** The class of each test image's edit, by {@code --class-from}. */
    private int[] labels(ConsistencyModel cm, Classifier classifier, Classifier inference, EditTask t, float[] inputs, KnownPart[] known,
            ImageData test) {
        if (cm.numClasses() == 0) {
            return null;
        }
        int n = test.imageSize();
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            float[] image = Arrays.copyOfRange(inputs, i * n, (i + 1) * n);
            labels[i] = switch (classFrom) {
                case "truth" -> test.labels()[i];
                case "none" -> ConsistencyModel.NO_CLASS;
                case "random" -> new SplittableRandom(seed + i).nextInt(cm.numClasses());
                case "consistency" -> EditClassInference.byConsistency(cm, image, known[i], seed + i).label();
                case "classifier" -> EditClassInference.byClassifier(classifier,
                        EditClassInference.view(image, known[i]), cm.numClasses()).label();
                default -> EditClassInference.infer(cm, inference, t, image, known[i], seed + i).label();
            };
        }
        return labels;
    }

    /** A known part per image of a batch (the sampler addresses image b at offset b·n). */
    private static KnownPart perImage(KnownPart[] parts, int n) {
        return new KnownPart() {
            @Override
            public void keepKnown(float[] y, int offset) {
                parts[offset / n].keepKnown(y, offset);
            }

            @Override
            public void restore(float[] x, float[] y, int offset) {
                parts[offset / n].restore(x, y, offset);
            }
        };
    }

    /**
     * Median warm time of one edit of test image 0 with 4 results through the editing service, as the studio and
     * {@code atelier edit} run it (decoding, class inference and the default schedule included), in ms.
     */
    private double interactive(ImageData test, List<Double> sigmaOverride) {
        int size = test.size();
        float[] image = new float[test.imageSize()];
        test.copyTo(0, image, 0);
        if (EditTask.of(task) == EditTask.DENOISE) {
            float[] z = new float[image.length];
            NoiseSource.gaussian(seed + 1_000_000L).fill(z, 0, z.length);
            for (int j = 0; j < image.length; j++) {
                image[j] += (float) (sigma * z[j]);
            }
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int j = 0; j < image.length; j++) {
            img.getRaster().setSample(j % size, j / size, 0, PngImages.to8bit(image[j]));
        }
        ImageInput in = ImageInput.of(img);
        Schedule schedule = new Schedule(null, sigmaOverride, guidance);
        EditingRequest request = switch (EditTask.of(task)) {
            case INPAINT -> new EditingRequest.Inpaint(model, in,
                    new MaskInput.Painted(EditMasks.of(mask, size, seed), size, size), seed, 4, schedule, null);
            case SUPERRES -> new EditingRequest.Superres(model, in, patch, seed, 4, schedule, null);
            default -> new EditingRequest.Denoise(model, in, sigma, null);
        };
        double[] ms = new double[interactiveRuns];
        try (Services services = common.services()) {
            for (int run = -1; run < interactiveRuns; run++) {
                long t0 = System.nanoTime();
                services.editing().run(JobOwner.CLI, request, null);
                if (run >= 0) {
                    ms[run] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        return BenchStats.median(ms);
    }

    private double accuracy(Classifier classifier, float[] images, ImageData test) {
        Classifier.Output out = classifier.run(images, count);
        int correct = 0;
        for (int i = 0; i < count; i++) {
            correct += out.predicted(i, classifier.numClasses()) == test.labels()[i] ? 1 : 0;
        }
        return (double) correct / count;
    }

    private void report(Path dir, EditTask t, double[] schedule, double w, Result r, double fd, double accOriginals,
            double accBaseline, double accEdited, double interactiveMs) throws Exception {
        String what = switch (t) {
            case INPAINT -> "inpaint, mask " + mask;
            case SUPERRES -> "superres, patch " + patch;
            default -> "denoise, sigma " + sigma;
        };
        if (json) {
            ObjectNode o = ModelManifest.JSON.createObjectNode();
            o.put("model", dir.toString());
            o.put("task", t.id());
            if (t == EditTask.INPAINT) {
                o.put("mask", mask);
            } else if (t == EditTask.SUPERRES) {
                o.put("patch", patch);
            } else {
                o.put("sigma", sigma);
            }
            var sig = o.putArray("sigmas");
            for (double v : schedule) {
                sig.add(v);
            }
            o.put("class_from", classFrom);
            o.put("guidance", w);
            o.put("count", count);
            o.put("seed", seed);
            o.put("accuracy_originals", accOriginals);
            o.put("accuracy_baseline", accBaseline);
            o.put("accuracy_edited", accEdited);
            o.put("accuracy_ratio", accEdited / accOriginals);
            if (!Double.isNaN(r.classAgreement)) {
                o.put("class_agreement", r.classAgreement);
            }
            o.put("fd", fd);
            if (t != EditTask.DENOISE) {
                o.put("known_exact", r.knownExact);
            }
            if (t == EditTask.SUPERRES) {
                o.put("known_max_error", r.knownError);
            }
            o.put("seconds_per_image", r.secondsPerImage);
            if (!Double.isNaN(interactiveMs)) {
                o.put("interactive_ms", interactiveMs);
            }
            System.out.println(ModelManifest.JSON.writeValueAsString(o));
            return;
        }
        System.out.printf(Locale.ROOT, "Model:      %s%n", dir);
        System.out.printf(Locale.ROOT, "Edit:       %s, %d test images, sigmas %s, guidance %.3g, class from %s, seed "
                + "%d%n", what, count, ImageReport.sigmaText(Arrays.stream(schedule).boxed().toList()), w, classFrom,
                seed);
        System.out.printf(Locale.ROOT, "Classifier accuracy: originals %.1f%%, baseline %.1f%%, edited %.1f%% "
                + "(%.1f%% of the originals')%n", 100 * accOriginals, 100 * accBaseline, 100 * accEdited,
                100 * accEdited / accOriginals);
        if (!Double.isNaN(r.classAgreement)) {
            System.out.printf(Locale.ROOT, "Edit class = true class: %.1f%%%n", 100 * r.classAgreement);
        }
        System.out.printf(Locale.ROOT, "Fréchet distance to test: %.3f%n", fd);
        if (t != EditTask.DENOISE) {
            System.out.printf(Locale.ROOT, "Known part exact: %d of %d%s%n", r.knownExact, count,
                    t == EditTask.SUPERRES ? String.format(Locale.ROOT, " (largest patch-mean error %.2g)", r.knownError)
                            : " (bit-exact)");
        }
        System.out.printf(Locale.ROOT, "Time per image: %.1f ms (batches of %d)%n", 1000 * r.secondsPerImage,
                ConsistencyEngine.CHUNK);
        if (!Double.isNaN(interactiveMs)) {
            System.out.printf(Locale.ROOT, "One image, 4 results, warm (median of %d): %.0f ms%n", interactiveRuns,
                    interactiveMs);
        }
    }
}
