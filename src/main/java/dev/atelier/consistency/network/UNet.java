package dev.atelier.consistency.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.atelier.AtelierException;
import dev.atelier.train.Checkpoint;
import dev.atelier.train.RandomStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small UNet F(x, c_noise, y) for consistency models, written with DJL's static ops over explicitly shaped
 * parameters (no Block shape inference). Per level: residual blocks (GroupNorm, SiLU, 3×3 conv, the
 * noise/class embedding added per channel, GroupNorm, SiLU, 3×3 conv, 1×1 skip when widths differ), a
 * stride-2 conv down; the middle has two residual blocks around optional single-head self-attention; the
 * way up concatenates the skips and upsamples by nearest neighbour + 3×3 conv. The noise level enters as
 * Fourier features of c_noise through a two-layer MLP; a class embedding (with one extra "no class" row,
 * used for label −1) is added to it. Output convolutions of blocks start at zero, so a fresh network
 * outputs 0 and f(x, σ) = c_skip·x.
 *
 * <p>GroupNorm is a reshape to (N, G, −1), the native layerNorm without affine, a reshape back and a
 * per-channel scale and shift (DJL has no GroupNorm). Results land in the input's NDManager; the
 * parameters live in this network's own manager.
 */
public final class UNet implements ConsistencyNetwork {
    private static final float NORM_EPS = 1e-5f;
    private static final Shape S1 = new Shape(1, 1);
    private static final Shape S2 = new Shape(2, 2);
    private static final Shape P0 = new Shape(0, 0);
    private static final Shape P1 = new Shape(1, 1);

    private final UNetConfig cfg;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final float[] freqs;
    private final Map<Long, NDArray[]> normConstants = new java.util.HashMap<>();
    private long macs;
    private boolean counting;

    private enum Init { ZERO, ONE, LECUN, NORMAL }

    private record Spec(String name, long[] shape, Init init) {
    }

    private UNet(UNetConfig cfg, NDManager parent) {
        this.cfg = cfg;
        this.manager = parent.newSubManager();
        int half = cfg.base() / 2;
        freqs = new float[half];
        // frequencies from 1 to 200 rad per unit of c_noise = ln(σ)/4: coarse and fine views of the level
        for (int k = 0; k < half; k++) {
            freqs[k] = (float) Math.exp(Math.log(200.0) * k / Math.max(1, half - 1));
        }
    }

    /** @return a freshly initialised network (deterministic for a given stream state) */
    public static UNet create(UNetConfig cfg, NDManager parent, RandomStream rng) {
        UNet net = new UNet(cfg, parent);
        for (Spec s : net.layout()) {
            int n = (int) new Shape(s.shape()).size();
            float[] v = new float[n];
            switch (s.init()) {
                case ONE -> Arrays.fill(v, 1f);
                case LECUN, NORMAL -> {
                    long fanIn = 1;
                    for (int d = 1; d < s.shape().length; d++) {
                        fanIn *= s.shape()[d];
                    }
                    double std = s.init() == Init.NORMAL ? 1.0 : Math.sqrt(1.0 / fanIn);
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) (rng.nextGaussian() * std);
                    }
                }
                default -> {
                }
            }
            net.params.put(s.name(), net.manager.create(v, new Shape(s.shape())));
        }
        return net;
    }

    /**
     * @param tensors parameter values by name, e.g. from a weights {@link Checkpoint}
     * @throws AtelierException when a tensor is missing or has the wrong shape
     */
    public static UNet fromTensors(UNetConfig cfg, NDManager parent, Map<String, Checkpoint.Tensor> tensors) {
        UNet net = new UNet(cfg, parent);
        for (Spec s : net.layout()) {
            Checkpoint.Tensor t = tensors.get(s.name());
            if (t == null || !Arrays.equals(t.shape(), s.shape())) {
                net.close();
                throw new AtelierException("The weights do not fit the architecture " + cfg + ": parameter "
                        + s.name() + (t == null ? " is missing" : " has shape " + Arrays.toString(t.shape())
                        + " instead of " + Arrays.toString(s.shape())) + ". The weights file and manifest.json "
                        + "must come from the same training run.");
            }
            net.params.put(s.name(), t.toNDArray(net.manager));
        }
        return net;
    }

    /** @return the architecture */
    public UNetConfig config() {
        return cfg;
    }

    /** @return the parameters by name (live; the order is fixed by the architecture) */
    @Override
    public Map<String, NDArray> parameters() {
        return params;
    }

    /** @return the manager owning the parameters */
    public NDManager manager() {
        return manager;
    }

    /** @return the number of scalar parameters */
    public long parameterCount() {
        long n = 0;
        for (NDArray p : params.values()) {
            n += p.size();
        }
        return n;
    }

    /** @return multiply-accumulates of one forward pass for one image, in units of 10⁹ */
    public double gmacPerImage() {
        try (NDManager m = manager.newSubManager()) {
            macs = 0;
            counting = true;
            forward(m.zeros(new Shape(1, cfg.channels(), cfg.size(), cfg.size())), new float[] {0f},
                    cfg.numClasses() > 0 ? new int[] {0} : null);
            return macs / 1e9;
        } finally {
            counting = false;
        }
    }

    /**
     * Runs the network.
     *
     * @param x input (already scaled by c_in), shape (B, C, H, W)
     * @param cNoise c_noise(σ) per image, length B
     * @param labels class per image (−1 = none), or null for no class; ignored by unconditional networks
     * @return F, shape (B, C, H, W), in x's manager
     */
    @Override
    public NDArray forward(NDArray x, float[] cNoise, int[] labels) {
        NDManager m = x.getManager();
        int batch = (int) x.getShape().get(0);
        int half = freqs.length;
        float[] feats = new float[batch * 2 * half];
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < half; k++) {
                double a = cNoise[i] * freqs[k];
                feats[i * 2 * half + k] = (float) Math.cos(a);
                feats[i * 2 * half + half + k] = (float) Math.sin(a);
            }
        }
        NDArray e = linear(silu(linear(m.create(feats, new Shape(batch, 2 * half)), "emb.l1")), "emb.l2");
        if (cfg.numClasses() > 0) {
            int rows = cfg.numClasses() + 1;
            float[] oneHot = new float[batch * rows];
            for (int i = 0; i < batch; i++) {
                int y = labels == null || labels[i] < 0 ? cfg.numClasses() : labels[i];
                if (y > cfg.numClasses()) {
                    throw new AtelierException("Class " + y + " does not exist; the model knows classes 0…"
                            + (cfg.numClasses() - 1) + ". Pick one of them.");
                }
                oneHot[i * rows + y] = 1f;
            }
            e = e.add(m.create(oneHot, new Shape(batch, rows)).matMul(params.get("emb.class")));
        }
        NDArray emb = silu(e);

        NDArray h = conv(x, "conv_in", P1, S1);
        Deque<NDArray> skips = new ArrayDeque<>();
        int levels = cfg.mult().length;
        for (int l = 0; l < levels; l++) {
            for (int b = 0; b < cfg.blocks(); b++) {
                h = res(h, emb, "down." + l + "." + b);
                skips.push(h);
            }
            if (l < levels - 1) {
                h = conv(h, "down." + l + ".down", P1, S2);
            }
        }
        h = res(h, emb, "mid.res1");
        if (cfg.attention()) {
            h = attention(h, "mid.attn");
        }
        h = res(h, emb, "mid.res2");
        for (int l = levels - 1; l >= 0; l--) {
            for (int b = 0; b < cfg.blocks(); b++) {
                h = res(NDArrays.concat(new NDList(h, skips.pop()), 1), emb, "up." + l + "." + b);
            }
            if (l > 0) {
                h = conv(h.repeat(2, 2).repeat(3, 2), "up." + l + ".up", P1, S1);
            }
        }
        return conv(silu(groupNorm(h, "out.gn")), "out.conv", P1, S1);
    }

    /** The parameters in a fixed order; the forward pass uses exactly these names and shapes. */
    private List<Spec> layout() {
        List<Spec> s = new ArrayList<>();
        int e = cfg.embedDim();
        s.add(new Spec("emb.l1.w", new long[] {e, 2L * freqs.length}, Init.LECUN));
        s.add(new Spec("emb.l1.b", new long[] {e}, Init.ZERO));
        s.add(new Spec("emb.l2.w", new long[] {e, e}, Init.LECUN));
        s.add(new Spec("emb.l2.b", new long[] {e}, Init.ZERO));
        if (cfg.numClasses() > 0) {
            s.add(new Spec("emb.class", new long[] {cfg.numClasses() + 1, e}, Init.NORMAL));
        }
        convSpec(s, "conv_in", cfg.width(0), cfg.channels(), 3, Init.LECUN);
        int levels = cfg.mult().length;
        Deque<Integer> skipWidths = new ArrayDeque<>();
        int hc = cfg.width(0);
        for (int l = 0; l < levels; l++) {
            for (int b = 0; b < cfg.blocks(); b++) {
                resSpec(s, "down." + l + "." + b, hc, cfg.width(l));
                hc = cfg.width(l);
                skipWidths.push(hc);
            }
            if (l < levels - 1) {
                convSpec(s, "down." + l + ".down", hc, hc, 3, Init.LECUN);
            }
        }
        resSpec(s, "mid.res1", hc, hc);
        if (cfg.attention()) {
            normSpec(s, "mid.attn.gn", hc);
            convSpec(s, "mid.attn.q", hc, hc, 1, Init.LECUN);
            convSpec(s, "mid.attn.k", hc, hc, 1, Init.LECUN);
            convSpec(s, "mid.attn.v", hc, hc, 1, Init.LECUN);
            convSpec(s, "mid.attn.proj", hc, hc, 1, Init.ZERO);
        }
        resSpec(s, "mid.res2", hc, hc);
        for (int l = levels - 1; l >= 0; l--) {
            for (int b = 0; b < cfg.blocks(); b++) {
                resSpec(s, "up." + l + "." + b, hc + skipWidths.pop(), cfg.width(l));
                hc = cfg.width(l);
            }
            if (l > 0) {
                convSpec(s, "up." + l + ".up", hc, hc, 3, Init.LECUN);
            }
        }
        normSpec(s, "out.gn", hc);
        convSpec(s, "out.conv", cfg.channels(), hc, 3, Init.ZERO);
        return s;
    }

    private static void convSpec(List<Spec> s, String name, int out, int in, int k, Init init) {
        s.add(new Spec(name + ".w", new long[] {out, in, k, k}, init));
        s.add(new Spec(name + ".b", new long[] {out}, Init.ZERO));
    }

    private static void normSpec(List<Spec> s, String name, int c) {
        s.add(new Spec(name + ".s", new long[] {1, c, 1, 1}, Init.ONE));
        s.add(new Spec(name + ".t", new long[] {1, c, 1, 1}, Init.ZERO));
    }

    private void resSpec(List<Spec> s, String name, int in, int out) {
        normSpec(s, name + ".gn1", in);
        convSpec(s, name + ".conv1", out, in, 3, Init.LECUN);
        s.add(new Spec(name + ".emb.w", new long[] {out, cfg.embedDim()}, Init.LECUN));
        s.add(new Spec(name + ".emb.b", new long[] {out}, Init.ZERO));
        normSpec(s, name + ".gn2", out);
        convSpec(s, name + ".conv2", out, out, 3, Init.ZERO);
        if (in != out) {
            convSpec(s, name + ".skip", out, in, 1, Init.LECUN);
        }
    }

    private NDArray res(NDArray x, NDArray emb, String name) {
        NDArray h = conv(silu(groupNorm(x, name + ".gn1")), name + ".conv1", P1, S1);
        NDArray e = linear(emb, name + ".emb");
        h = h.add(e.reshape(e.getShape().get(0), e.getShape().get(1), 1, 1));
        h = conv(silu(groupNorm(h, name + ".gn2")), name + ".conv2", P1, S1);
        NDArray skip = params.containsKey(name + ".skip.w") ? conv(x, name + ".skip", P0, S1) : x;
        return skip.add(h);
    }

    private NDArray attention(NDArray x, String name) {
        Shape shape = x.getShape();
        long b = shape.get(0);
        long c = shape.get(1);
        long n = shape.get(2) * shape.get(3);
        NDArray hn = groupNorm(x, name + ".gn");
        NDArray q = conv(hn, name + ".q", P0, S1).reshape(b, c, n).transpose(0, 2, 1);
        NDArray k = conv(hn, name + ".k", P0, S1).reshape(b, c, n);
        NDArray v = conv(hn, name + ".v", P0, S1).reshape(b, c, n);
        NDArray w = q.matMul(k).muli(1.0 / Math.sqrt(c)).softmax(2);
        NDArray o = v.matMul(w.transpose(0, 2, 1)).reshape(shape);
        if (counting) {
            macs += 2 * n * n * c * b;
        }
        return x.add(conv(o, name + ".proj", P0, S1));
    }

    private NDArray groupNorm(NDArray x, String name) {
        Shape shape = x.getShape();
        long c = shape.get(1);
        long g = Math.min(UNetConfig.GROUPS, c);
        NDArray r = x.reshape(shape.get(0), g, -1);
        long len = r.getShape().get(2);
        // the native layerNorm wants an affine pair; constant ones/zeros per length, kept with the parameters
        NDArray[] unit = normConstants.computeIfAbsent(len, k -> new NDArray[] {
            manager.ones(new Shape(k)), manager.zeros(new Shape(k))});
        NDArray n = LayerNorm.layerNorm(r, new Shape(len), unit[0], unit[1], NORM_EPS).singletonOrThrow();
        return n.reshape(shape).mul(params.get(name + ".s")).add(params.get(name + ".t"));
    }

    private NDArray conv(NDArray x, String name, Shape pad, Shape stride) {
        NDArray w = params.get(name + ".w");
        NDArray out = Conv2d.conv2d(x, w, params.get(name + ".b"), stride, pad, S1, 1).singletonOrThrow();
        if (counting) {
            Shape ws = w.getShape();
            Shape os = out.getShape();
            macs += os.get(0) * os.get(2) * os.get(3) * ws.get(0) * ws.get(1) * ws.get(2) * ws.get(3);
        }
        return out;
    }

    private NDArray linear(NDArray x, String name) {
        NDArray w = params.get(name + ".w");
        if (counting) {
            macs += x.getShape().get(0) * w.getShape().get(0) * w.getShape().get(1);
        }
        return Linear.linear(x, w, params.get(name + ".b")).singletonOrThrow();
    }

    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** Copies the parameters into {@code c} under {@code prefix + name}. */
    public void save(Checkpoint c, String prefix) {
        c.putAll(prefix, params);
    }

    /** @return the float data type of the parameters */
    public DataType dataType() {
        return DataType.FLOAT32;
    }

    @Override
    public void close() {
        manager.close();
    }
}
