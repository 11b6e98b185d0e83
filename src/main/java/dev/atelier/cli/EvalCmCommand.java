package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.eval.Classifier;
import dev.atelier.consistency.eval.FeatureStats;
import dev.atelier.consistency.eval.FrechetDistance;
import dev.atelier.consistency.network.UNetConsistencyModel;
import dev.atelier.consistency.training.ImageData;
import dev.atelier.image.PngImages;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.Checkpoint;
import dev.atelier.train.RandomStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier eval-cm}: sample quality of a consistency model judged by the classifier in its
 * {@code classifier/} directory — class histogram, mean confidence, agreement with the requested class, and
 * the Fréchet distance of classifier features to the held-out test set (with train-vs-test as the floor).
 * {@code --fit-classifier} trains that classifier and stores the test-set statistics.
 */
@Command(name = "eval-cm", mixinStandardHelpOptions = true,
        description = "Evaluate a consistency model with its classifier (histogram, confidence, Fréchet distance), "
                + "or fit that classifier with --fit-classifier.")
public final class EvalCmCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory or shipped name (e.g. fashion-mnist).")
    String model;

    @Option(names = "--steps", description = "Sampling steps K (default: the manifest's default_steps).")
    Integer steps;

    @Option(names = "--count", defaultValue = "1000", description = "Samples to draw (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", description = "Noise seed (default: random, printed).")
    Long seed;

    @Option(names = "--unconditional", description = "Sample without class labels (class-conditional models "
            + "also learn a \"no class\" mode).")
    boolean unconditional;

    @Option(names = "--sigmas", description = "Override the schedule: comma-separated σ values, descending from σmax.")
    String sigmas;

    @Option(names = "--guidance", paramLabel = "W", description = "Class guidance weight, 0 (none) to 10 (default: "
            + "the model's, from its manifest).")
    Double guidance;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Option(names = "--grid", description = "Also write the first 100 samples as a PNG grid (near-square, row-major; "
            + "for a class-conditional model with 10 classes one column per class).")
    Path grid;

    @Option(names = "--fit-classifier", description = "Train the evaluation classifier on --data (IDX train and "
            + "t10k files) and store it with the test-set feature statistics in MODEL/classifier/.")
    boolean fit;

    @Option(names = "--data", description = "With --fit-classifier: a directory with train- and t10k- IDX files.")
    Path data;

    @Option(names = "--epochs", defaultValue = "3", description = "With --fit-classifier: epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1.");
        }
        common.device();
        Path dir = ModelLocator.resolve(model);
        if (fit) {
            return fitClassifier(dir);
        }
        ModelManifest manifest = ModelManifest.read(dir);
        double[] schedule = schedule(manifest);
        long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
        Path classifierDir = dir.resolve(Classifier.DIR);
        long t0 = System.nanoTime();
        try (UNetConsistencyModel cm = UNetConsistencyModel.load(dir, common.device());
             Classifier classifier = Classifier.load(classifierDir, common.device())) {
            if (classifier.size() != cm.size() || classifier.channels() != cm.channels()) {
                throw new AtelierException("The classifier in " + classifierDir + " expects " + classifier.size()
                        + "-pixel images with " + classifier.channels() + " channel(s), but the model makes "
                        + cm.size() + "-pixel ones. Fit a matching classifier with --fit-classifier.");
            }
            Checkpoint statsFile = Checkpoint.read(classifierDir.resolve(Classifier.STATS));
            FeatureStats test = FeatureStats.load(statsFile, "test");
            int classes = classifier.numClasses();
            boolean conditional = cm.numClasses() > 0 && !unconditional;
            int[] requested = new int[count];
            for (int i = 0; i < count; i++) {
                requested[i] = conditional ? i % cm.numClasses() : -1;
            }
            double w = !conditional ? 0 : guidance != null ? guidance : manifest.defaultGuidance();
            long[] seeds = new long[count];
            for (int i = 0; i < count; i++) {
                seeds[i] = s + i;
            }
            float[] images = Flags.usage(spec, () -> new ConsistencyEngine(cm).sample(schedule, seeds,
                    conditional ? requested : null, w, null));
            double sampleSeconds = (System.nanoTime() - t0) / 1e9;
            if (grid != null) {
                int shown = Math.min(100, count);
                ObjectNode params = ModelManifest.JSON.createObjectNode();
                params.put("model", dir.getFileName().toString());
                params.put("seed", s);
                params.put("steps", schedule.length);
                var sig = params.putArray("sigmas");
                for (double v : schedule) {
                    sig.add(v);
                }
                params.put("conditional", conditional);
                params.put("guidance", w);
                PngImages.write(grid, PngImages.grid(Arrays.copyOf(images, shown * cm.channels() * cm.size() * cm.size()),
                        shown, cm.channels(), cm.size(), 0), ModelManifest.JSON.writeValueAsString(params));
            }
            Classifier.Output out = classifier.run(images, count);
            int[] histogram = new int[classes];
            double confidence = 0;
            int agree = 0;
            for (int i = 0; i < count; i++) {
                int k = out.predicted(i, classes);
                histogram[k]++;
                confidence += out.probs()[i * classes + k];
                if (conditional && k == requested[i]) {
                    agree++;
                }
            }
            confidence /= count;
            double fd = FrechetDistance.between(FeatureStats.of(out.features(), Classifier.FEATURES), test);
            double floor = statsFile.header().path("fd_train_test").asDouble(Double.NaN);
            double accuracy = statsFile.header().path("test_accuracy").asDouble(Double.NaN);
            List<String> names = manifest.classes;
            report(dir, manifest, schedule, w, s, histogram, names, confidence,
                    conditional ? (double) agree / count : null, accuracy, fd, floor, sampleSeconds);
        }
        return 0;
    }

    private double[] schedule(ModelManifest m) {
        if (sigmas != null) {
            try {
                double[] v = Arrays.stream(sigmas.split(",")).mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
                for (int i = 1; i < v.length; i++) {
                    if (!(v[i] < v[i - 1])) {
                        throw new NumberFormatException("not descending");
                    }
                }
                return v;
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sigmas must be comma-separated numbers "
                        + "in descending order, e.g. 80,0.8.");
            }
        }
        int k = steps != null ? steps : (m.default_steps == null ? 1 : m.default_steps);
        double[] v = m.schedules == null ? null : m.schedules.get(Integer.toString(k));
        if (v == null) {
            throw new AtelierException("The model's manifest has no " + k + "-step schedule (it has: "
                    + (m.schedules == null ? "none" : String.join(", ", m.schedules.keySet())) + "). Choose one of "
                    + "those with --steps, or give the σ values with --sigmas.");
        }
        return v;
    }

    private void report(Path dir, ModelManifest m, double[] schedule, double w, long s, int[] histogram, List<String> names,
                        double confidence, Double agreement, double accuracy, double fd, double floor, double seconds)
            throws Exception {
        if (json) {
            ObjectNode o = ModelManifest.JSON.createObjectNode();
            o.put("model", dir.toString());
            o.put("training_steps", m.training == null || m.training.steps == null ? 0 : m.training.steps);
            o.put("steps", schedule.length);
            var sig = o.putArray("sigmas");
            for (double v : schedule) {
                sig.add(v);
            }
            o.put("guidance", w);
            o.put("count", count);
            o.put("seed", s);
            o.put("conditional", agreement != null);
            ObjectNode h = o.putObject("histogram");
            for (int k = 0; k < histogram.length; k++) {
                h.put(names != null && k < names.size() ? names.get(k) : Integer.toString(k), (double) histogram[k] / count);
            }
            o.put("mean_confidence", confidence);
            if (agreement != null) {
                o.put("class_agreement", agreement);
            }
            o.put("classifier_test_accuracy", accuracy);
            o.put("fd", fd);
            o.put("fd_train_test", floor);
            o.put("sampling_seconds", seconds);
            System.out.println(ModelManifest.JSON.writeValueAsString(o));
            return;
        }
        System.out.printf(Locale.ROOT, "Model:      %s (%s training steps)%n", dir,
                m.training == null ? "?" : m.training.steps);
        System.out.printf(Locale.ROOT, "Sampling:   %d step(s), σ = %s, guidance %.3g, %d samples%s, seed %d, %.1f s%n",
                schedule.length, Arrays.toString(schedule), w, count, agreement != null ? " (classes in turn)" : "", s,
                seconds);
        System.out.println("Histogram:");
        for (int k = 0; k < histogram.length; k++) {
            System.out.printf(Locale.ROOT, "  %-12s %5.1f%%%n", names != null && k < names.size() ? names.get(k) : k,
                    100.0 * histogram[k] / count);
        }
        System.out.printf(Locale.ROOT, "Mean confidence:          %.3f%n", confidence);
        if (agreement != null) {
            System.out.printf(Locale.ROOT, "Classified as requested:  %.1f%% (classifier accuracy on the test set "
                    + "%.1f%%)%n", 100 * agreement, 100 * accuracy);
        }
        System.out.printf(Locale.ROOT, "Fréchet distance to test: %.3f (train vs test: %.3f)%n", fd, floor);
    }

    private int fitClassifier(Path dir) throws Exception {
        if (data == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fit-classifier needs --data DIR with the "
                    + "train- and t10k- IDX files.");
        }
        ImageData train = ImageData.load(data, 28, 0, true);
        ImageData test = ImageData.load(data, 28, 0, false);
        if (train == test || train.source().equals(test.source()) || test.labels() == null) {
            throw new AtelierException("--data must be a directory with both train-images/labels and "
                    + "t10k-images/labels IDX files (the held-out test split is needed for the statistics).");
        }
        long t0 = System.nanoTime();
        long s = seed != null ? seed : 1L;
        Path out = dir.resolve(Classifier.DIR);
        Files.createDirectories(out);
        try (Classifier c = Classifier.create(train.size(), train.channels(), train.classes().size(), s,
                common.device())) {
            c.train(train, epochs, Math.min(128, train.count()), 1e-3, s, System.err);
            Classifier.Output testOut = c.run(test);
            int correct = 0;
            for (int i = 0; i < test.count(); i++) {
                if (testOut.predicted(i, c.numClasses()) == test.labels()[i]) {
                    correct++;
                }
            }
            double accuracy = (double) correct / test.count();
            // a training subset as large as the test set gives the floor of the distance at equal sample size
            int[] perm = new int[train.count()];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i;
            }
            new RandomStream(s + 1).shuffle(perm);
            int n = Math.min(test.count(), train.count());
            float[] x = new float[n * train.imageSize()];
            for (int i = 0; i < n; i++) {
                train.copyTo(perm[i], x, i * train.imageSize());
            }
            FeatureStats trainStats = FeatureStats.of(c.run(x, n).features(), Classifier.FEATURES);
            FeatureStats testStats = FeatureStats.of(testOut.features(), Classifier.FEATURES);
            double floor = FrechetDistance.between(trainStats, testStats);
            Checkpoint stats = new Checkpoint();
            testStats.save(stats, "test");
            trainStats.save(stats, "train");
            stats.header().put("test_accuracy", accuracy);
            stats.header().put("fd_train_test", floor);
            stats.header().put("data", test.source());
            stats.write(out.resolve(Classifier.STATS));
            ModelManifest.Training t = new ModelManifest.Training();
            t.command = "atelier " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            t.data = train.source();
            t.steps = (long) epochs * (train.count() / Math.min(128, train.count()));
            t.seconds = Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
            c.save(out, train.classes(), t, accuracy);
            System.out.printf(Locale.ROOT, "Classifier: test accuracy %.2f%%, FD(train subset, test) %.3f; written to %s%n",
                    100 * accuracy, floor, out);
        }
        return 0;
    }
}
