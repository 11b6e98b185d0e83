package dev.atelier.text.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small decoder-only transformer (GPT-2 layout): token and learned position embeddings, pre-norm blocks
 * of causal multi-head self-attention and a GELU MLP, a final layer norm, and an output layer tied to the
 * token embedding. Written with DJL's static ops over explicitly named parameters, so training, full
 * evaluation and cached incremental decoding share one set of weights and one code path per layer.
 *
 * <p>Weights are stored as a DJL {@code NDList} file whose arrays carry the parameter names.
 */
public final class Gpt implements AutoCloseable {
    private static final float LN_EPS = 1e-5f;
    /** Added to masked attention scores; large and finite, so a fully masked row cannot turn into NaN. */
    private static final float MASKED = -1e9f;

    /** Shape of the network. */
    public record Config(int vocab, int dim, int layers, int heads, int context) {
        /** @throws AtelierException if the numbers do not make a network */
        public Config {
            if (vocab < 2 || dim < 1 || layers < 1 || heads < 1 || context < 2 || dim % heads != 0) {
                throw new AtelierException("Invalid transformer shape (vocab " + vocab + ", dim " + dim + ", layers "
                        + layers + ", heads " + heads + ", context " + context + "): dim must be a multiple of heads "
                        + "and all sizes positive.");
            }
        }

        /** @return the architecture as manifest JSON */
        public ObjectNode toJson() {
            ObjectNode n = dev.atelier.base.ModelManifest.JSON.createObjectNode();
            n.put("type", "gpt");
            n.put("vocab", vocab);
            n.put("dim", dim);
            n.put("layers", layers);
            n.put("heads", heads);
            n.put("context", context);
            return n;
        }

        /** @return the config read from manifest JSON */
        public static Config fromJson(ObjectNode n) {
            return new Config(n.path("vocab").asInt(), n.path("dim").asInt(), n.path("layers").asInt(),
                    n.path("heads").asInt(), n.path("context").asInt());
        }

        /** @return the number of parameters */
        public long parameterCount() {
            long d = dim;
            return (long) vocab * d + (long) context * d + layers * (12 * d * d + 13 * d) + 2 * d;
        }
    }

    private final Config config;
    private final NDManager manager;
    private final Map<String, NDArray> params;

    private Gpt(Config config, NDManager manager, Map<String, NDArray> params) {
        this.config = config;
        this.manager = manager;
        this.params = params;
    }

    /** @return the shape of the network */
    public Config config() {
        return config;
    }

    /** @return the parameters by name, in a fixed order (the order they are saved in) */
    public Map<String, NDArray> parameters() {
        return params;
    }

    /**
     * A freshly initialised network: weights N(0, 0.02²) from a Java random stream (so the same seed gives
     * the same network on any engine), residual output projections scaled by 1/√(2·layers), biases 0,
     * layer-norm gains 1.
     *
     * @param manager owns the parameters (a sub-manager is made and closed with the network)
     */
    public static Gpt initialise(Config c, NDManager manager, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        NDManager m = manager.newSubManager();
        Map<String, NDArray> p = new LinkedHashMap<>();
        int d = c.dim;
        float std = 0.02f;
        float resid = std / (float) Math.sqrt(2.0 * c.layers);
        p.put("wte", normal(m, rng, std, c.vocab, d));
        p.put("wpe", normal(m, rng, 0.01f, c.context, d));
        for (int l = 0; l < c.layers; l++) {
            String b = "h" + l + ".";
            p.put(b + "ln1.g", m.ones(new Shape(d)));
            p.put(b + "ln1.b", m.zeros(new Shape(d)));
            p.put(b + "qkv.w", normal(m, rng, std, 3 * d, d));
            p.put(b + "qkv.b", m.zeros(new Shape(3 * d)));
            p.put(b + "proj.w", normal(m, rng, resid, d, d));
            p.put(b + "proj.b", m.zeros(new Shape(d)));
            p.put(b + "ln2.g", m.ones(new Shape(d)));
            p.put(b + "ln2.b", m.zeros(new Shape(d)));
            p.put(b + "fc.w", normal(m, rng, std, 4 * d, d));
            p.put(b + "fc.b", m.zeros(new Shape(4 * d)));
            p.put(b + "out.w", normal(m, rng, resid, d, 4 * d));
            p.put(b + "out.b", m.zeros(new Shape(d)));
        }
        p.put("lnf.g", m.ones(new Shape(d)));
        p.put("lnf.b", m.zeros(new Shape(d)));
        p.forEach((k, v) -> v.setName(k));
        return new Gpt(c, m, p);
    }

    private static NDArray normal(NDManager m, SplittableRandom rng, float std, int rows, int cols) {
        float[] a = new float[rows * cols];
        for (int i = 0; i < a.length; i++) {
            // Box–Muller from the Java stream: reproducible independent of the native RNG
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            a[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return m.create(a, new Shape(rows, cols));
    }

    /** Marks every parameter as trainable (gradients are collected for it). */
    public void enableGradients() {
        params.values().forEach(a -> a.setRequiresGradient(true));
    }

    /**
     * Logits of every position.
     *
     * @param ids int64 {@code [B, T]}, T ≤ context
     * @return float32 {@code [B, T, V]}, in the manager of {@code ids}
     */
    public NDArray forward(NDArray ids) {
        return forward(ids, 0f);
    }

    /**
     * Logits of every position, with dropout on the embeddings and on each residual branch while training.
     *
     * @param dropout drop probability (0 for evaluation)
     */
    public NDArray forward(NDArray ids, float dropout) {
        long t = ids.getShape().get(1);
        NDManager sm = ids.getManager();
        NDArray pos = sm.arange(0, (int) t).toType(DataType.INT64, false).expandDims(0);
        NDArray mask = causalMaskFor(sm, 1, t, 0, null);
        return forwardWith(ids, pos, mask, null, dropout);
    }

    /**
     * The shared forward pass.
     *
     * @param ids int64 {@code [B, T]}
     * @param positions int64 {@code [B, T]} or {@code [1, T]}: the position of each token
     * @param mask additive float32 mask broadcastable to {@code [B, H, T, Tpast+T]}, or null (none needed)
     * @param cache per-layer keys and values to attend to before the new tokens and to extend, or null
     * @return logits {@code [B, T, V]}
     */
    public NDArray forwardWith(NDArray ids, NDArray positions, NDArray mask, KvCache cache) {
        return forwardWith(ids, positions, mask, cache, 0f);
    }

    private static NDArray drop(NDArray x, float rate) {
        return rate > 0 ? Dropout.dropout(x, rate, true).singletonOrThrow() : x;
    }

    /**
     * Logits of one new token per row that attends to {@code cache} without extending it: the numbers
     * {@link #forwardWith} gives for {@code T = 1}, without copying the cached keys and values (the cache is
     * unchanged). For lookahead rollouts, whose last position is never continued.
     *
     * @param ids int64 {@code [B, 1]}
     * @param positions int64 {@code [B, 1]}
     * @param mask additive float32 mask broadcastable to {@code [B, H, 1, Tpast+1]}, or null
     * @param cache the keys and values of the B rows' earlier positions
     * @return logits {@code [B, 1, V]}
     */
    public NDArray peek(NDArray ids, NDArray positions, NDArray mask, KvCache cache) {
        return forwardWith(ids, positions, mask, cache, 0f, false);
    }

    private NDArray forwardWith(NDArray ids, NDArray positions, NDArray mask, KvCache cache, float dropout) {
        return forwardWith(ids, positions, mask, cache, dropout, true);
    }

    /** @param extend whether the new keys and values are appended to {@code cache} (else it is only read) */
    private NDArray forwardWith(NDArray ids, NDArray positions, NDArray mask, KvCache cache, float dropout,
            boolean extend) {
        int d = config.dim;
        int h = config.heads;
        int hd = d / h;
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        NDArray x = Embedding.embedding(ids, p("wte"), SparseFormat.DENSE).singletonOrThrow()
                .add(Embedding.embedding(positions, p("wpe"), SparseFormat.DENSE).singletonOrThrow());
        x = drop(x, dropout);
        Shape norm = new Shape(d);
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int l = 0; l < config.layers; l++) {
            String n = "h" + l + ".";
            NDArray a = LayerNorm.layerNorm(x, norm, p(n + "ln1.g"), p(n + "ln1.b"), LN_EPS).singletonOrThrow();
            NDArray qkv = Linear.linear(a, p(n + "qkv.w"), p(n + "qkv.b")).singletonOrThrow()
                    .reshape(b, t, 3, h, hd).transpose(2, 0, 3, 1, 4);
            NDList split = qkv.split(3, 0);
            NDArray q = split.get(0).squeeze(0).mul(scale);
            NDArray k = split.get(1).squeeze(0);
            NDArray v = split.get(2).squeeze(0);
            NDArray y;
            if (cache != null && !extend) {
                y = attendPast(q, k, v, cache.keys[l], cache.values[l], mask);
            } else {
                if (cache != null) {
                    NDArray[] kv = cache.append(l, k, v);
                    k = kv[0];
                    v = kv[1];
                }
                NDArray att = q.matMul(k.transpose(0, 1, 3, 2));
                if (mask != null) {
                    att = att.add(mask);
                }
                y = att.softmax(-1).matMul(v);
            }
            y = y.transpose(0, 2, 1, 3).reshape(b, t, d);
            x = x.add(drop(Linear.linear(y, p(n + "proj.w"), p(n + "proj.b")).singletonOrThrow(), dropout));
            NDArray m = LayerNorm.layerNorm(x, norm, p(n + "ln2.g"), p(n + "ln2.b"), LN_EPS).singletonOrThrow();
            m = Activation.gelu(Linear.linear(m, p(n + "fc.w"), p(n + "fc.b")).singletonOrThrow());
            x = x.add(drop(Linear.linear(m, p(n + "out.w"), p(n + "out.b")).singletonOrThrow(), dropout));
        }
        x = LayerNorm.layerNorm(x, norm, p("lnf.g"), p("lnf.b"), LN_EPS).singletonOrThrow();
        return Linear.linear(x, p("wte")).singletonOrThrow();
    }

    /**
     * Attention of one new position per row to the cached ones and itself, without concatenating the cache: the
     * scores against the cache and against the new key are joined (small), and the weighted values are summed.
     *
     * @param q {@code [B, H, 1, D]}, already scaled
     * @param k the new key {@code [B, H, 1, D]}
     * @param v the new value {@code [B, H, 1, D]}
     * @param pastK cached keys {@code [B, H, T, D]}
     * @param pastV cached values {@code [B, H, T, D]}
     * @return {@code [B, H, 1, D]}
     */
    private static NDArray attendPast(NDArray q, NDArray k, NDArray v, NDArray pastK, NDArray pastV, NDArray mask) {
        long past = pastK.getShape().get(2);
        NDArray att = q.matMul(pastK.transpose(0, 1, 3, 2)).concat(q.mul(k).sum(new int[] {-1}, true), -1);
        if (mask != null) {
            att = att.add(mask);
        }
        NDList weights = att.softmax(-1).split(new long[] {past}, 3);
        return weights.get(0).matMul(pastV).add(weights.get(1).mul(v));
    }

    /**
     * An additive attention mask {@code [B or 1, 1, T, Tpast+T]}: query i (at absolute index Tpast+i) sees keys
     * 0 … Tpast+i, minus the keys flagged as padding.
     *
     * @param padding per row, true for key positions (0 … Tpast+T−1) that are padding; null for none
     */
    public static NDArray causalMaskFor(NDManager m, int rows, long t, long past, boolean[][] padding) {
        int tk = (int) (past + t);
        int r = padding == null ? 1 : rows;
        float[] a = new float[r * (int) t * tk];
        for (int row = 0; row < r; row++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < tk; j++) {
                    boolean hidden = j > past + i || (padding != null && padding[row][j]);
                    a[(row * (int) t + i) * tk + j] = hidden ? MASKED : 0f;
                }
            }
        }
        return m.create(a, new Shape(r, 1, t, tk));
    }

    /**
     * Mean cross-entropy (nats per token) of predicting {@code ids[:,1:]} from {@code ids[:,:-1]}.
     *
     * @param window int64 {@code [B, T+1]}
     * @param dropout drop probability while training (0 for evaluation)
     */
    public NDArray loss(NDArray window, float dropout) {
        long t1 = window.getShape().get(1);
        NDArray in = window.get(new NDIndex(":, 0:{}", t1 - 1));
        NDArray target = window.get(new NDIndex(":, 1:"));
        NDArray logp = forward(in, dropout).logSoftmax(-1);
        return logp.gather(target.expandDims(-1), -1).mean().neg();
    }

    private NDArray p(String name) {
        return params.get(name);
    }

    /** Writes the weights (float32) as a named NDList. */
    public void save(OutputStream out) throws IOException {
        NDList list = new NDList();
        params.forEach((k, v) -> list.add(v));
        list.encode(out);
    }

    /**
     * Reads weights written by {@link #save}.
     *
     * @throws AtelierException if the file is missing, not an NDList, or its arrays do not fit {@code c}
     */
    public static Gpt load(Config c, NDManager manager, Path file) {
        NDManager m = manager.newSubManager();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList list = NDList.decode(m, in);
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : list) {
                byName.put(a.getName(), a);
            }
            return fromArrays(c, m, byName, file);
        } catch (IOException | RuntimeException e) {
            m.close();
            if (e instanceof AtelierException ae) {
                throw ae;
            }
            throw new AtelierException("The weights " + file + " cannot be read (" + AtelierException.reason(e) + "). Train the "
                    + "model again or restore the file from the repository.", e);
        }
    }

    /**
     * A network over arrays already in {@code m} (found by parameter name; other names are ignored).
     *
     * @param source named in the error message
     */
    static Gpt fromArrays(Config c, NDManager m, Map<String, NDArray> byName, Path source) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapeOnly(c).entrySet()) {
            NDArray a = byName.get(e.getKey());
            if (a == null || !a.getShape().equals(e.getValue())) {
                throw new AtelierException("The weights " + source + " do not fit the architecture in the manifest: "
                        + "parameter " + e.getKey() + " is " + (a == null ? "missing" : "of shape " + a.getShape())
                        + ", expected " + e.getValue() + ". Use the manifest.json written with these weights.");
            }
            NDArray f = a.toType(DataType.FLOAT32, false);
            f.setName(e.getKey());
            p.put(e.getKey(), f);
        }
        return new Gpt(c, m, p);
    }

    /** @return parameter names and shapes of a network of shape {@code c}, in save order */
    static Map<String, Shape> shapeOnly(Config c) {
        Map<String, Shape> s = new LinkedHashMap<>();
        long d = c.dim;
        s.put("wte", new Shape(c.vocab, d));
        s.put("wpe", new Shape(c.context, d));
        for (int l = 0; l < c.layers; l++) {
            String b = "h" + l + ".";
            s.put(b + "ln1.g", new Shape(d));
            s.put(b + "ln1.b", new Shape(d));
            s.put(b + "qkv.w", new Shape(3 * d, d));
            s.put(b + "qkv.b", new Shape(3 * d));
            s.put(b + "proj.w", new Shape(d, d));
            s.put(b + "proj.b", new Shape(d));
            s.put(b + "ln2.g", new Shape(d));
            s.put(b + "ln2.b", new Shape(d));
            s.put(b + "fc.w", new Shape(4 * d, d));
            s.put(b + "fc.b", new Shape(4 * d));
            s.put(b + "out.w", new Shape(d, 4 * d));
            s.put(b + "out.b", new Shape(d));
        }
        s.put("lnf.g", new Shape(d));
        s.put("lnf.b", new Shape(d));
        return s;
    }

    /** @return all parameter arrays in save order */
    public List<NDArray> parameterList() {
        return new ArrayList<>(params.values());
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * Keys and values of earlier positions, one pair per layer, each {@code [B, H, T, D]}. Beam search
     * reorders them with {@link #reorder(NDArray)} so that row i continues the old row {@code parents[i]}.
     */
    public static final class KvCache implements AutoCloseable {
        private final NDManager manager;
        private final NDArray[] keys;
        private final NDArray[] values;

        /** @param manager parent manager; the cache keeps its tensors in its own sub-manager */
        public KvCache(NDManager manager, int layers) {
            this.manager = manager.newSubManager();
            this.keys = new NDArray[layers];
            this.values = new NDArray[layers];
        }

        /** @return the number of cached positions */
        public long length() {
            return keys[0] == null ? 0 : keys[0].getShape().get(2);
        }

        NDArray[] append(int layer, NDArray k, NDArray v) {
            NDArray nk = keys[layer] == null ? k.duplicate() : keys[layer].concat(k, 2);
            NDArray nv = values[layer] == null ? v.duplicate() : values[layer].concat(v, 2);
            nk.attach(manager);
            nv.attach(manager);
            if (keys[layer] != null) {
                keys[layer].close();
                values[layer].close();
            }
            keys[layer] = nk;
            values[layer] = nv;
            return new NDArray[] {nk, nv};
        }

        /** Keeps rows {@code index[0]}, {@code index[1]}, … in that order (int64 {@code [B']}). */
        public void reorder(NDArray index) {
            for (int l = 0; l < keys.length; l++) {
                NDArray k = keys[l].get(new NDIndex("{}", index));
                NDArray v = values[l].get(new NDIndex("{}", index));
                k.attach(manager);
                v.attach(manager);
                keys[l].close();
                values[l].close();
                keys[l] = k;
                values[l] = v;
            }
        }

        /**
         * @param parent manager of the new cache
         * @param index int64 {@code [B']}: the rows to take, in order
         * @return a new cache with rows {@code index[0]}, {@code index[1]}, … of this one (this one is unchanged)
         */
        public KvCache select(NDManager parent, NDArray index) {
            KvCache c = new KvCache(parent, keys.length);
            for (int l = 0; l < keys.length; l++) {
                if (keys[l] != null) {
                    c.keys[l] = keys[l].get(new NDIndex("{}", index));
                    c.values[l] = values[l].get(new NDIndex("{}", index));
                    c.keys[l].attach(c.manager);
                    c.values[l].attach(c.manager);
                }
            }
            return c;
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
