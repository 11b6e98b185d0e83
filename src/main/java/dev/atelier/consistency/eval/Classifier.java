package dev.atelier.consistency.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.EditClassInference;
import dev.atelier.consistency.training.ImageData;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.AdamW;
import dev.atelier.train.Checkpoint;
import dev.atelier.train.ProgressLine;
import dev.atelier.train.RandomStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small CNN that judges generated images: 3×3 conv (32) → stride-2 conv (64) → stride-2 conv (64) →
 * dense 128 (the features for the Fréchet distance) → class logits, ReLU between. Trained by Atelier
 * ({@link #train}) and shipped in a consistency model's {@code classifier/} directory.
 */
public final class Classifier implements AutoCloseable, EditClassInference.Scorer {
    /** Sub-directory of a model directory that holds the classifier. */
    public static final String DIR = "classifier";
    /** Weights file inside {@link #DIR}. */
    public static final String WEIGHTS = "weights.ckpt";
    /** Feature statistics file inside {@link #DIR}. */
    public static final String STATS = "stats.ckpt";
    /** Width of the feature vector. */
    public static final int FEATURES = 128;
    private static final Shape S1 = new Shape(1, 1);
    private static final Shape S2 = new Shape(2, 2);
    private static final Shape P1 = new Shape(1, 1);

    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final int size;
    private final int channels;
    private final int numClasses;

    private Classifier(NDManager manager, int size, int channels, int numClasses) {
        this.manager = manager;
        this.size = size;
        this.channels = channels;
        this.numClasses = numClasses;
        if (size % 4 != 0) {
            throw new AtelierException("The classifier needs an image size divisible by 4, got " + size + ".");
        }
    }

    private int flat() {
        return 64 * (size / 4) * (size / 4);
    }

    /** @return a randomly initialised classifier on {@code device} */
    public static Classifier create(int size, int channels, int numClasses, long seed, Device device) {
        Classifier c = new Classifier(NDManager.newBaseManager(device), size, channels, numClasses);
        RandomStream r = new RandomStream(seed);
        c.put("c1", new long[] {32, channels, 3, 3}, r);
        c.put("c2", new long[] {64, 32, 3, 3}, r);
        c.put("c3", new long[] {64, 64, 3, 3}, r);
        c.put("f1", new long[] {FEATURES, c.flat()}, r);
        c.put("f2", new long[] {numClasses, FEATURES}, r);
        return c;
    }

    private void put(String name, long[] shape, RandomStream r) {
        long fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
            fanIn *= shape[i];
        }
        int n = (int) new Shape(shape).size();
        float[] w = new float[n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
            w[i] = (float) (r.nextGaussian() * std);
        }
        params.put(name + ".w", manager.create(w, new Shape(shape)));
        params.put(name + ".b", manager.zeros(new Shape(shape[0])));
    }

    /**
     * Loads {@code dir} (a classifier directory with manifest.json and {@value #WEIGHTS}).
     *
     * @throws AtelierException when it is missing or damaged
     */
    public static Classifier load(Path dir, Device device) {
        if (!Files.isDirectory(dir)) {
            throw AtelierException.field("fitClassifier", "The model has no evaluation classifier (" + dir + " is missing). Fit one with "
                    + "atelier eval-cm {fitClassifier} {data} DIR {model} M (Fashion-MNIST IDX files).");
        }
        ModelManifest m = ModelManifest.read(dir);
        if (!"classifier".equals(m.kind)) {
            throw AtelierException.field("fitClassifier", dir + " holds a " + m.kind + " model, not a classifier. Fit one with "
                    + "atelier eval-cm {fitClassifier}.");
        }
        Checkpoint w = Checkpoint.read(m.weightsIn(dir, WEIGHTS));
        Classifier c = new Classifier(NDManager.newBaseManager(device), m.arch("size", 28),
                m.arch("channels", 1), m.arch("num_classes", 10));
        for (String name : new String[] {"c1", "c2", "c3", "f1", "f2"}) {
            c.params.put(name + ".w", w.require(name + ".w").toNDArray(c.manager));
            c.params.put(name + ".b", w.require(name + ".b").toNDArray(c.manager));
        }
        return c;
    }

    /**
     * The classifier that infers the class of an edit ({@link EditClassInference}): the one trained on kept views in
     * {@code modelDir/kept-classifier/}, else the evaluation classifier in {@code modelDir/classifier/}, when it exists and matches the model's size, channels and class count.
     *
     * @return the classifier, or null when the model has none that fits
     */
    public static Classifier forModel(Path modelDir, ConsistencyModel model, Device device) {
        Path dir = inferenceDir(modelDir, model);
        if (dir == null) {
            return null;
        }
        Classifier c = load(dir, device);
        if (!c.fits(model)) {
            c.close();
            return null;
        }
        return c;
    }

    /**
     * @return the directory of the class-inference classifier of {@link #forModel}, or null when the model has no
     *     classes or no classifier directory
     */
    public static Path inferenceDir(Path modelDir, ConsistencyModel model) {
        Path dir = modelDir.resolve(KeptViews.DIR);
        if (!Files.isRegularFile(dir.resolve(ModelManifest.FILE))) {
            dir = modelDir.resolve(DIR);
        }
        return model.numClasses() == 0 || !Files.isRegularFile(dir.resolve(ModelManifest.FILE)) ? null : dir;
    }

    /** @return whether it takes the model's images (size, channels) and names its classes (count) */
    public boolean fits(ConsistencyModel model) {
        return size == model.size() && channels == model.channels() && numClasses == model.numClasses();
    }

    /** Class probabilities of {@code count} images (count·C·S·S values in [−1, 1]). */
    @Override
    public float[] probs(float[] images, int count) {
        return run(images, count).probs();
    }

    /** @return the number of classes */
    public int numClasses() {
        return numClasses;
    }

    /** @return the image side it expects */
    public int size() {
        return size;
    }

    /** @return the channels it expects */
    public int channels() {
        return channels;
    }

    /** Features (B, 128) of images x (B, C, H, W) in [−1, 1]; results in x's manager. */
    private NDArray features(NDArray x) {
        NDArray h = Activation.relu(conv(x, "c1", S1));
        h = Activation.relu(conv(h, "c2", S2));
        h = Activation.relu(conv(h, "c3", S2));
        h = h.reshape(h.getShape().get(0), flat());
        return Activation.relu(Linear.linear(h, params.get("f1.w"), params.get("f1.b")).singletonOrThrow());
    }

    private NDArray logits(NDArray features) {
        return Linear.linear(features, params.get("f2.w"), params.get("f2.b")).singletonOrThrow();
    }

    private NDArray conv(NDArray x, String name, Shape stride) {
        return Conv2d.conv2d(x, params.get(name + ".w"), params.get(name + ".b"), stride, P1, S1, 1)
                .singletonOrThrow();
    }

    /**
     * Classification of a set of images.
     *
     * @param probs class probabilities, count × classes
     * @param features feature vectors, count × {@value #FEATURES}
     */
    public record Output(float[] probs, float[] features) {
        /** @return the most probable class of image i */
        public int predicted(int i, int classes) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (probs[i * classes + k] > probs[i * classes + best]) {
                    best = k;
                }
            }
            return best;
        }
    }

    /** Classifies {@code count} images (count·C·S·S values in [−1, 1]) in chunks. */
    public Output run(float[] x, int count) {
        int d = channels * size * size;
        float[] probs = new float[count * numClasses];
        float[] feats = new float[count * FEATURES];
        int chunk = 500;
        for (int start = 0; start < count; start += chunk) {
            int n = Math.min(chunk, count - start);
            float[] part = new float[n * d];
            System.arraycopy(x, start * d, part, 0, n * d);
            try (NDManager m = manager.newSubManager()) {
                NDArray f = features(m.create(part, new Shape(n, channels, size, size)));
                NDArray p = logits(f).softmax(1);
                System.arraycopy(p.toFloatArray(), 0, probs, start * numClasses, n * numClasses);
                System.arraycopy(f.toFloatArray(), 0, feats, start * FEATURES, n * FEATURES);
            }
        }
        return new Output(probs, feats);
    }

    /** Classifies every image of a data set. */
    public Output run(ImageData data) {
        float[] x = new float[data.count() * data.imageSize()];
        for (int i = 0; i < data.count(); i++) {
            data.copyTo(i, x, i * data.imageSize());
        }
        return run(x, data.count());
    }

    /**
     * Trains with Adam on cross-entropy.
     *
     * @param data labelled training images
     * @param epochs passes over the data
     * @param log where progress goes
     */
    public void train(ImageData data, int epochs, int batch, double lr, long seed, PrintStream log) {
        train(data, epochs, batch, lr, seed, log, null);
    }

    /** Changes one training image in place (at {@code offset}, C·S·S values) before it is used. */
    @FunctionalInterface
    public interface Augment {
        void apply(float[] x, int offset, RandomStream r);
    }

    /**
     * Trains with Adam on cross-entropy, each image first passed through {@code augment} (null: none) with its own
     * random stream split from {@code seed}.
     */
    public void train(ImageData data, int epochs, int batch, double lr, long seed, PrintStream log, Augment augment) {
        if (data.labels() == null) {
            throw new AtelierException("The classifier needs labelled data: IDX files with their labels, or an image "
                    + "folder with one subfolder per class.");
        }
        RandomStream r = new RandomStream(seed);
        RandomStream views = r.split();
        int d = data.imageSize();
        int steps = epochs * (data.count() / batch);
        ProgressLine progress = new ProgressLine(log, 0, steps, 20);
        params.values().forEach(p -> p.setRequiresGradient(true));
        try (AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0)) {
            int step = 0;
            for (int e = 0; e < epochs; e++) {
                int[] perm = new int[data.count()];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = i;
                }
                r.shuffle(perm);
                for (int s = 0; s + batch <= perm.length; s += batch) {
                    float[] x = new float[batch * d];
                    float[] oneHot = new float[batch * numClasses];
                    for (int i = 0; i < batch; i++) {
                        data.copyTo(perm[s + i], x, i * d);
                        if (augment != null) {
                            augment.apply(x, i * d, views);
                        }
                        oneHot[i * numClasses + data.labels()[perm[s + i]]] = 1f;
                    }
                    float loss;
                    try (NDManager m = manager.newSubManager();
                         GradientCollector gc = m.getEngine().newGradientCollector()) {
                        NDArray logp = logits(features(m.create(x, new Shape(batch, channels, size, size)))).logSoftmax(1);
                        NDArray l = logp.mul(m.create(oneHot, new Shape(batch, numClasses))).sum().neg().div(batch);
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    double rate = step < steps / 2 ? lr : lr * 0.2;
                    adam.update(params, rate);
                    step++;
                    progress.update(step, String.format(java.util.Locale.ROOT, "epoch %d loss %.4f", e + 1, loss));
                }
            }
        }
        params.values().forEach(p -> p.setRequiresGradient(false));
    }

    /** Writes manifest.json and {@value #WEIGHTS} into {@code dir}. */
    public void save(Path dir, List<String> classes, ModelManifest.Training training, double testAccuracy)
            throws IOException {
        save(dir, "Atelier evaluation classifier", classes, training, testAccuracy);
    }

    /** Writes manifest.json (named {@code name}) and {@value #WEIGHTS} into {@code dir}. */
    public void save(Path dir, String name, List<String> classes, ModelManifest.Training training,
            double testAccuracy) throws IOException {
        Checkpoint c = new Checkpoint();
        c.putAll("", params);
        c.write(dir.resolve(WEIGHTS));
        ModelManifest m = new ModelManifest();
        m.kind = "classifier";
        m.name = name;
        m.weights = WEIGHTS;
        m.architecture = ModelManifest.JSON.createObjectNode();
        m.architecture.put("type", "atelier-cnn-classifier/1");
        m.architecture.put("size", size);
        m.architecture.put("channels", channels);
        m.architecture.put("num_classes", numClasses);
        m.architecture.put("features", FEATURES);
        m.licence = "Weights trained by Atelier; the training data's licence applies.";
        m.training = training;
        m.metrics = ModelManifest.JSON.createObjectNode();
        m.metrics.put("test_accuracy", testAccuracy);
        m.classes = classes;
        m.sha256 = ModelManifest.sha256(dir.resolve(WEIGHTS));
        m.write(dir);
    }

    @Override
    public void close() {
        manager.close();
    }
}
