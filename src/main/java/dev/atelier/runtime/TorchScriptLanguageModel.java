package dev.atelier.runtime;

import ai.djl.Device;
import dev.atelier.base.Engines;
import dev.atelier.base.ModelManifest;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.atelier.AtelierException;
import dev.atelier.text.LanguageModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's TorchScript causal language model (docs/FORMATS.md, docs/MODELS.md):
 * <ul>
 *   <li>plain: {@code forward(input_ids [B,T] int64) → logits [B,T,V]};</li>
 *   <li>with a KV cache ({@code "kv_cache": true}, {@code layers}, {@code heads}, {@code head_dim} in the
 *   manifest's architecture): {@code forward(input_ids, k0, v0, …, k(L−1), v(L−1)) → (logits, k0′, v0′, …)},
 *   past tensors {@code [B,H,T_past,D]} (T_past may be 0), the new positions continuing after T_past.</li>
 * </ul>
 * The contract has no attention mask, so rows are never padded: rows of equal length are decoded together
 * as one group, each group with its own cache. Beam search keeps rows of one prompt at one length, so the
 * groups stay few. When a row outgrows the context, its group is recomputed over the last three quarters of
 * a context.
 */
public final class TorchScriptLanguageModel implements LanguageModel {
    private final Model model;
    private final NDManager manager;
    private final int vocab;
    private final int eos;
    private final int pad;
    private final int context;
    private final boolean hasCache;
    private final boolean useCache;
    private final int layers;
    private final int heads;
    private final int headDim;

    private TorchScriptLanguageModel(Model model, int vocab, int eos, int pad, int context, boolean hasCache,
                                     boolean useCache, int layers, int heads, int headDim) {
        this.model = model;
        this.manager = model.getNDManager();
        this.vocab = vocab;
        this.eos = eos;
        this.pad = pad;
        this.context = context;
        this.hasCache = hasCache;
        this.useCache = useCache && hasCache;
        this.layers = layers;
        this.heads = heads;
        this.headDim = headDim;
    }

    /**
     * Loads and checks a TorchScript LM: one forward pass over a full context must give logits whose last
     * dimension is the tokenizer's vocabulary size (and, with a cache, 2·layers present tensors of the
     * declared shape).
     *
     * @throws AtelierException naming the mismatch and the fix
     */
    static TorchScriptLanguageModel load(Path weights, ModelManifest m, int tokenizerVocab, int pad, boolean useCache,
            Device device) {
        boolean cache = m.architecture != null && m.architecture.path("kv_cache").asBoolean(false);
        int layers = m.arch("layers", 0);
        int heads = m.arch("heads", 0);
        int headDim = m.arch("head_dim", 0);
        if (cache && (layers <= 0 || heads <= 0 || headDim <= 0)) {
            throw new AtelierException("The manifest of " + weights.getParent() + " declares \"kv_cache\": true but not "
                    + "positive \"layers\", \"heads\" and \"head_dim\" in \"architecture\". Add them (see docs/MODELS.md).");
        }
        if (m.context <= 1) {
            throw new AtelierException("The manifest of " + weights.getParent() + " gives context " + m.context
                    + ". Give the longest sequence the model accepts (e.g. 1024 for GPT-2).");
        }
        Engines.engine();
        Model model = Model.newInstance("lm", device, "PyTorch");
        try {
            String file = weights.getFileName().toString();
            if (file.endsWith(".pt")) {
                model.load(weights.getParent(), file.substring(0, file.length() - 3));
            } else {
                model.load(weights);
            }
        } catch (Exception e) {
            model.close();
            throw new AtelierException("The TorchScript file " + weights + " cannot be loaded (" + e.getMessage()
                    + "). Save it with torch.jit.save from a traced or scripted module (see docs/MODELS.md).", e);
        }
        TorchScriptLanguageModel lm = new TorchScriptLanguageModel(model, tokenizerVocab, m.eos, pad, m.context,
                cache, useCache, layers, heads, headDim);
        try {
            lm.check(weights);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return lm;
    }

    private void check(Path weights) {
        try (NDManager sm = manager.newSubManager()) {
            long[] ids = new long[context];
            Arrays.fill(ids, eos);
            NDList out;
            try {
                out = forward(sm, sm.create(ids, new Shape(1, context)), hasCache ? emptyPast(sm, 1) : null);
            } catch (RuntimeException e) {
                throw new AtelierException("The TorchScript model " + weights + " fails on one sequence of "
                        + context + " tokens (" + AtelierException.reason(e) + "). Check that forward takes input_ids [B,T] int64"
                        + (hasCache ? " and 2·layers past tensors [B,H,T_past,D]" : "") + ", that \"context\" in "
                        + "the manifest is not longer than the model's positions, and that the trace did not freeze the "
                        + "example's lengths (compute positions and the mask from the input shapes, see docs/MODELS.md).",
                        e);
            }
            Shape s = out.get(0).getShape();
            if (s.dimension() != 3 || s.get(0) != 1 || s.get(1) != context) {
                throw new AtelierException("The TorchScript model " + weights + " returned logits of shape " + s
                        + " for input [1, " + context + "]; a causal LM must return [B, T, V]. Return the logits of "
                        + "every position (see docs/MODELS.md).");
            }
            if (s.get(2) != vocab) {
                throw new AtelierException("The TorchScript model " + weights + " has a vocabulary of " + s.get(2)
                        + " logits but its tokenizer.json has " + vocab + " ids. Ship the tokenizer the model was "
                        + "trained with.");
            }
            if (hasCache) {
                Shape expected = new Shape(1, heads, context, headDim);
                if (out.size() != 1 + 2 * layers || !out.get(1).getShape().equals(expected)) {
                    throw new AtelierException("The TorchScript model " + weights + " declares a KV cache of " + layers
                            + " layers, " + heads + " heads, head_dim " + headDim + " but returned " + (out.size() - 1)
                            + " cache tensors" + (out.size() > 1 ? " of shape " + out.get(1).getShape() : "")
                            + "; expected " + 2 * layers + " of shape " + expected + ". Fix the manifest's architecture.");
                }
                checkCacheAgreesWithRecomputation(sm, weights);
            }
        }
    }

    /**
     * Decodes 3 tokens, then a 4th with their cache, and compares its log-probs with one pass over all 4: an
     * export whose cache is ignored or whose positions restart after the cache would otherwise give wrong text
     * silently.
     */
    private void checkCacheAgreesWithRecomputation(NDManager sm, Path weights) {
        long[] ids = new long[4];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (eos + 1 + 7L * i) % vocab;
        }
        NDArray full = forward(sm, sm.create(ids, new Shape(1, 4)), emptyPast(sm, 1)).get(0)
                .get(new NDIndex(":, 3, :")).toType(DataType.FLOAT32, false).logSoftmax(-1);
        NDList prefix = forward(sm, sm.create(Arrays.copyOf(ids, 3), new Shape(1, 3)), emptyPast(sm, 1));
        NDArray stepped = forward(sm, sm.create(new long[] {ids[3]}, new Shape(1, 1)),
                new NDList(prefix.subList(1, prefix.size()))).get(0).get(new NDIndex(":, 0, :"))
                .toType(DataType.FLOAT32, false).logSoftmax(-1);
        float diff = full.sub(stepped).abs().max().getFloat();
        if (!(diff <= 1e-3f)) {
            throw new AtelierException("The TorchScript model " + weights + " gives other next-token log-probs with its "
                    + "KV cache than without it (up to " + diff + " apart on a 4-token sequence): the past tensors are "
                    + "ignored or the new tokens' positions do not continue after T_past. Export it again (see "
                    + "docs/MODELS.md).");
        }
    }

    private NDList emptyPast(NDManager m, int rows) {
        NDList past = new NDList();
        for (int i = 0; i < 2 * layers; i++) {
            past.add(m.zeros(new Shape(rows, heads, 0, headDim)));
        }
        return past;
    }

    private NDList forward(NDManager m, NDArray ids, NDList past) {
        NDList in = new NDList(ids);
        if (past != null) {
            in.addAll(past);
        }
        NDList out = model.getBlock().forward(new ParameterStore(m, false), in, false);
        out.attach(m);
        return out;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public int padId() {
        return pad;
    }

    @Override
    public int contextLength() {
        return context;
    }

    @Override
    public Decoder start(int[][] rows) {
        return new TsDecoder(rows);
    }

    @Override
    public void close() {
        model.close();
    }

    /** Rows of one length, decoded as one batch, with their cache if the model has one. */
    private static final class Group {
        final List<Integer> rows = new ArrayList<>();
        NDList cache;
        NDManager manager;
    }

    private final class TsDecoder implements Decoder {
        private final NDManager dm = manager.newSubManager();
        private int[][] rows;
        private List<Group> groups = new ArrayList<>();
        private float[][] logProbs;

        TsDecoder(int[][] start) {
            rows = new int[start.length][];
            for (int i = 0; i < start.length; i++) {
                rows[i] = start[i].length == 0 ? new int[] {eos} : start[i].clone();
            }
            logProbs = new float[rows.length][];
            Map<Integer, Group> byLength = new LinkedHashMap<>();
            for (int i = 0; i < rows.length; i++) {
                byLength.computeIfAbsent(rows[i].length, k -> new Group()).rows.add(i);
            }
            groups = new ArrayList<>(byLength.values());
            for (Group g : groups) {
                full(g);
            }
        }

        /** Runs the group's whole (windowed) rows; keeps their cache when caching. */
        private void full(Group g) {
            if (g.manager != null) {
                g.manager.close();
            }
            g.manager = dm.newSubManager();
            int len = rows[g.rows.get(0)].length;
            int keep = len <= context ? len : (useCache ? Math.max(1, context * 3 / 4) : context);
            long[] ids = new long[g.rows.size() * keep];
            for (int r = 0; r < g.rows.size(); r++) {
                int[] row = rows[g.rows.get(r)];
                for (int j = 0; j < keep; j++) {
                    ids[r * keep + j] = row[row.length - keep + j];
                }
            }
            try (NDManager sm = g.manager.newSubManager()) {
                NDList past = hasCache ? emptyPast(sm, g.rows.size()) : null;
                NDList out = forward(sm, sm.create(ids, new Shape(g.rows.size(), keep)), past);
                store(g, out.get(0), keep);
                if (useCache) {
                    g.cache = new NDList(out.subList(1, out.size()));
                    g.cache.attach(g.manager);
                }
            }
        }

        private void store(Group g, NDArray logits, long t) {
            float[] flat = logits.get(new NDIndex(":, {}, :", t - 1)).toType(DataType.FLOAT32, false)
                    .logSoftmax(-1).toFloatArray();
            for (int r = 0; r < g.rows.size(); r++) {
                logProbs[g.rows.get(r)] = Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab);
            }
        }

        @Override
        public float[][] logProbs() {
            return logProbs;
        }

        /** An empty decoder for {@link #branch}. */
        private TsDecoder() {
        }

        @Override
        public void advance(int[] parents, int[] tokens) {
            advance(parents, tokens, true);
        }

        @Override
        public Decoder branch(int[] parents, int[] tokens) {
            TsDecoder b = new TsDecoder();
            b.rows = rows;
            b.groups = groups;
            try {
                b.advance(parents, tokens, false);
                return b;
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
        }

        /** @param closeOld whether the current groups' tensors may be freed (false when branching) */
        private void advance(int[] parents, int[] tokens, boolean closeOld) {
            int[][] next = new int[parents.length][];
            int[] groupOf = new int[rows.length];
            int[] localIndex = new int[rows.length];
            for (int gi = 0; gi < groups.size(); gi++) {
                List<Integer> rs = groups.get(gi).rows;
                for (int j = 0; j < rs.size(); j++) {
                    groupOf[rs.get(j)] = gi;
                    localIndex[rs.get(j)] = j;
                }
            }
            List<List<Integer>> children = new ArrayList<>();
            for (int gi = 0; gi < groups.size(); gi++) {
                children.add(new ArrayList<>());
            }
            for (int i = 0; i < parents.length; i++) {
                int[] old = rows[parents[i]];
                next[i] = Arrays.copyOf(old, old.length + 1);
                next[i][old.length] = tokens[i];
                children.get(groupOf[parents[i]]).add(i);
            }
            rows = next;
            logProbs = new float[rows.length][];
            List<Group> nextGroups = new ArrayList<>();
            for (int gi = 0; gi < groups.size(); gi++) {
                Group old = groups.get(gi);
                List<Integer> kids = children.get(gi);
                if (kids.isEmpty()) {
                    if (closeOld) {
                        old.manager.close();
                    }
                    continue;
                }
                Group g = new Group();
                g.rows.addAll(kids);
                int len = rows[kids.get(0)].length;
                if (!useCache || len > context) {
                    if (closeOld) {
                        old.manager.close();
                    }
                    full(g);
                } else {
                    g.manager = dm.newSubManager();
                    try (NDManager sm = g.manager.newSubManager()) {
                        long[] idx = new long[kids.size()];
                        long[] ids = new long[kids.size()];
                        for (int j = 0; j < kids.size(); j++) {
                            idx[j] = localIndex[parents[kids.get(j)]];
                            ids[j] = tokens[kids.get(j)];
                        }
                        NDArray index = sm.create(idx);
                        NDList past = new NDList();
                        for (NDArray a : old.cache) {
                            past.add(a.get(new NDIndex("{}", index)));
                        }
                        NDList out = forward(sm, sm.create(ids, new Shape(kids.size(), 1)), past);
                        store(g, out.get(0), 1);
                        g.cache = new NDList(out.subList(1, out.size()));
                        g.cache.attach(g.manager);
                    }
                    if (closeOld) {
                        old.manager.close();
                    }
                }
                nextGroups.add(g);
            }
            groups = nextGroups;
        }

        @Override
        public void close() {
            dm.close();
        }
    }
}
