package dev.atelier.consistency.network;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.Parameterization;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.Checkpoint;
import dev.atelier.train.RandomStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A consistency model backed by Atelier's own {@link UNet}: f(x, σ, y) = c_skip(σ)·x + c_out(σ)·F(c_in(σ)·x,
 * c_noise(σ), y) with the scalings of {@link Parameterization} applied outside the network
 * ({@code "scalings_inside": false}, {@code "c_noise": "ln(sigma)/4"}). A model directory holds
 * {@value #WEIGHTS} (an Atelier {@link Checkpoint} with the EMA weights) and manifest.json.
 * Use from one thread only (the inference lane).
 */
public final class UNetConsistencyModel implements ConsistencyModel {
    /** Weights file name inside a model directory. */
    public static final String WEIGHTS = "weights.ckpt";

    private final NDManager manager;
    private final UNet net;
    private final Parameterization param;
    private final List<String> classes;

    private UNetConsistencyModel(NDManager manager, UNet net, Parameterization param, List<String> classes) {
        this.manager = manager;
        this.net = net;
        this.param = param;
        this.classes = classes;
    }

    /**
     * Loads a model directory written by {@code atelier train-cm}.
     *
     * @param modelDir the directory with manifest.json and the weights
     * @param device where it runs
     * @throws AtelierException when the manifest or weights are missing, mismatched or corrupt
     */
    public static UNetConsistencyModel load(Path modelDir, Device device) {
        ModelManifest m = ModelManifest.read(modelDir);
        if (!"consistency".equals(m.kind)) {
            throw new AtelierException("The model in " + modelDir + " is a " + m.kind + " model, not a consistency "
                    + "model. Pass a consistency model directory (e.g. fashion-mnist).");
        }
        if (Boolean.TRUE.equals(m.scalings_inside)) {
            throw new AtelierException("The manifest in " + modelDir + " says the scalings are inside the network, "
                    + "but Atelier's UNet applies them outside. Set \"scalings_inside\": false or export it again.");
        }
        UNetConfig cfg = UNetConfig.fromJson(m.architecture);
        int listed = m.classes == null ? 0 : m.classes.size();
        if (m.classes != null && listed != cfg.numClasses()) { // no list at all: classes are known by number only
            throw new AtelierException("The manifest in " + modelDir + " lists " + listed + " class names but the network "
                    + "was built for " + cfg.numClasses() + " classes. Fix \"classes\" in manifest.json (or export the "
                    + "model again).");
        }
        if (m.image != null && (m.image.size != cfg.size() || m.image.channels != cfg.channels())) {
            throw new AtelierException("The manifest in " + modelDir + " says images are " + m.image.size + "×"
                    + m.image.size + "×" + m.image.channels + " but the network was built for " + cfg.size() + "×"
                    + cfg.size() + "×" + cfg.channels() + ". Fix \"image\" in manifest.json.");
        }
        Path weights = m.weightsIn(modelDir, WEIGHTS);
        long need = 2 * Float.BYTES * cfg.peakFloatsPerImage() + weights.toFile().length();
        if (need > dev.atelier.Limits.memoryBudgetBytes()) { // before a single tensor exists: the kernel kills, it never tells
            throw new AtelierException("The model in " + modelDir + " would need about " + dev.atelier.Limits.gigabytes(need)
                    + " of memory for its test run on 2 images of " + cfg.size() + "×" + cfg.size() + (cfg.attention()
                    ? " (attention over " + ((long) cfg.size() >> (cfg.mult().length - 1)) * ((long) cfg.size()
                    >> (cfg.mult().length - 1)) + " positions)" : "") + ", more than the "
                    + dev.atelier.Limits.gigabytes(dev.atelier.Limits.memoryBudgetBytes()) + " Atelier allows a model "
                    + "here (half of this machine's memory). Fix the manifest's architecture if it is wrong, or use a "
                    + "smaller image size, more levels or no attention.");
        }
        Checkpoint c = Checkpoint.read(weights);
        Parameterization p = Parameterization.of(m);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            UNet net = UNet.fromTensors(cfg, manager, c.tensors());
            return new UNetConsistencyModel(manager, net, p, m.classes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A randomly initialised model of the given architecture (for benchmarks and tests).
     *
     * @param seed seed of the initialisation
     * @param device where it runs
     */
    public static UNetConsistencyModel random(UNetConfig cfg, Parameterization p, long seed, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        UNet net = UNet.create(cfg, manager, new RandomStream(seed));
        return new UNetConsistencyModel(manager, net, p, null);
    }

    /**
     * Evaluates f(x, σ, y) with the network's parameters, for any input rank; results land in x's manager (gradients flow when
     * the parameters collect them inside a GradientCollector).
     *
     * @param x noisy images (B, C, H, W)
     * @param sigma σ per image
     * @param labels class per image (−1 = none), or null
     */
    public static NDArray apply(ConsistencyNetwork net, Parameterization p, NDArray x, float[] sigma, int[] labels) {
        int b = sigma.length;
        float[] skip = new float[b];
        float[] out = new float[b];
        float[] in = new float[b];
        float[] noise = new float[b];
        for (int i = 0; i < b; i++) {
            skip[i] = (float) p.cSkip(sigma[i]);
            out[i] = (float) p.cOut(sigma[i]);
            in[i] = (float) p.cIn(sigma[i]);
            noise[i] = (float) p.cNoise(sigma[i]);
        }
        NDManager m = x.getManager();
        long[] dims = new long[x.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = b;
        Shape col = new Shape(dims);
        NDArray f = net.forward(x.mul(m.create(in, col)), noise, labels);
        return x.mul(m.create(skip, col)).add(f.mul(m.create(out, col)));
    }

    /** @return the network (its parameters stay owned by this model) */
    public UNet network() {
        return net;
    }

    /** @return class names from the manifest, or null */
    public List<String> classes() {
        return classes;
    }

    @Override
    public int size() {
        return net.config().size();
    }

    @Override
    public int channels() {
        return net.config().channels();
    }

    @Override
    public int numClasses() {
        return net.config().numClasses();
    }

    /** As many images as fit half of the memory budget (weights aside), at least 1. */
    @Override
    public int maxBatch() {
        long perImage = Float.BYTES * net.config().peakFloatsPerImage();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, dev.atelier.Limits.memoryBudgetBytes() / 2 / perImage));
    }

    /** A conditional UNet has an embedding row for "no class" (train-cm drops labels to it). */
    @Override
    public boolean hasNullClass() {
        return numClasses() > 0;
    }

    @Override
    public Parameterization parameterization() {
        return param;
    }

    @Override
    public float[] denoise(float[] x, float[] sigma, int[] labels) {
        int b = sigma.length;
        int c = channels();
        int s = size();
        if (x.length != b * c * s * s) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected " + b * c * s * s);
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray in = step.create(x, new Shape(b, c, s, s));
            return apply(net, param, in, sigma, labels).toFloatArray();
        }
    }

    /**
     * Writes {@code net}'s parameters as {@value #WEIGHTS} into {@code dir}, then the manifest with the weights'
     * sha256 and the architecture (including parameter count and GMAC per forward). Both atomically.
     */
    public static void save(Path dir, UNet net, ModelManifest manifest) throws IOException {
        Checkpoint c = new Checkpoint();
        c.header().set("architecture", net.config().toJson());
        net.save(c, "");
        Path weights = dir.resolve(WEIGHTS);
        c.write(weights);
        manifest.weights = WEIGHTS;
        manifest.kind = "consistency";
        manifest.architecture = net.config().toJson();
        manifest.architecture.put("parameters", net.parameterCount());
        manifest.architecture.put("gmac_per_image", Math.round(net.gmacPerImage() * 1e4) / 1e4);
        manifest.sha256 = ModelManifest.sha256(weights);
        manifest.write(dir);
    }

    @Override
    public void close() {
        manager.close();
    }
}
