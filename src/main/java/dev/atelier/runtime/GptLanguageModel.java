package dev.atelier.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.lm.Gpt;
import java.util.Arrays;

/**
 * Atelier's own transformer ({@link Gpt}) as a {@link LanguageModel}. With the KV cache, each step feeds
 * only the new token of every row and attends to cached keys and values, which beam search reorders by
 * parent row; without it, every step runs the whole sequence again (same numbers, for checking and
 * benchmarking). Rows of different lengths are left-padded: padded keys are masked out and positions count
 * from each row's first real token, so a row's result does not depend on its neighbours. An empty row is
 * read as starting a sentence (it is given the end-of-sequence token as context, as in training). When a
 * sequence outgrows the context, the cache is rebuilt over its last three quarters of a context.
 *
 * <p>Must be used from one thread (the inference lane).
 */
public final class GptLanguageModel implements LanguageModel {
    private final Gpt gpt;
    private final int eos;
    private final int pad;
    private final boolean useCache;
    private final NDManager owned;

    /**
     * @param gpt the network; closed with this model
     * @param useCache whether decoders keep a KV cache
     */
    public GptLanguageModel(Gpt gpt, int eos, int pad, boolean useCache) {
        this(gpt, eos, pad, useCache, null);
    }

    /** @param owned a manager closed with this model (the one the network was loaded into), or null */
    GptLanguageModel(Gpt gpt, int eos, int pad, boolean useCache, NDManager owned) {
        this.gpt = gpt;
        this.eos = eos;
        this.pad = pad;
        this.useCache = useCache;
        this.owned = owned;
    }

    /** @return the network */
    public Gpt network() {
        return gpt;
    }

    /** @return a view of the same network with the cache switched on or off (closing it closes nothing) */
    public LanguageModel withCache(boolean cache) {
        GptLanguageModel self = this;
        return new LanguageModel() {
            @Override public int vocabSize() { return self.vocabSize(); }
            @Override public int eosId() { return eos; }
            @Override public int padId() { return pad; }
            @Override public int contextLength() { return self.contextLength(); }
            @Override public Decoder start(int[][] rows) { return new GptDecoder(rows, cache); }
        };
    }

    @Override
    public int vocabSize() {
        return gpt.config().vocab();
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
        return gpt.config().context();
    }

    @Override
    public Decoder start(int[][] rows) {
        return new GptDecoder(rows, useCache);
    }

    @Override
    public void close() {
        gpt.close();
        if (owned != null) {
            owned.close();
        }
    }

    private NDManager modelManager() {
        return gpt.parameters().values().iterator().next().getManager();
    }

    private final class GptDecoder implements Decoder {
        private final boolean cached;
        private final NDManager manager;
        private int[][] rows;
        private Gpt.KvCache cache;
        /** per row, per cached position: true where the position is left padding */
        private boolean[][] padding;
        private float[][] logProbs;

        GptDecoder(int[][] rows, boolean cached) {
            this(cached);
            this.rows = new int[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                this.rows[i] = rows[i].length == 0 ? new int[] {eos} : rows[i].clone();
            }
            rebuild();
        }

        /** An empty decoder; the caller sets rows, padding and cache. */
        private GptDecoder(boolean cached) {
            this.cached = cached;
            this.manager = modelManager().newSubManager();
        }

        @Override
        public Decoder branch(int[] parents, int[] tokens) {
            GptDecoder b = new GptDecoder(cached);
            try {
                b.rows = new int[parents.length][];
                b.padding = new boolean[parents.length][];
                long[] idx = new long[parents.length];
                int[] identity = new int[parents.length];
                for (int i = 0; i < parents.length; i++) {
                    b.rows[i] = rows[parents[i]];
                    b.padding[i] = padding[parents[i]];
                    idx[i] = parents[i];
                    identity[i] = i;
                }
                if (cached) {
                    try (NDManager sm = manager.newSubManager()) {
                        b.cache = cache.select(b.manager, sm.create(idx));
                    }
                }
                b.advance(identity, tokens);
                return b;
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
        }

        /** Runs the full (windowed) sequences and, when caching, keeps their keys and values. */
        private void rebuild() {
            if (cache != null) {
                cache.close();
                cache = null;
            }
            int ctx = contextLength();
            int longest = Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(1);
            int keep = longest <= ctx ? longest : (cached ? Math.max(1, ctx * 3 / 4) : ctx);
            int b = rows.length;
            long[] ids = new long[b * keep];
            long[] pos = new long[b * keep];
            padding = new boolean[b][keep];
            boolean anyPad = false;
            for (int r = 0; r < b; r++) {
                int n = Math.min(rows[r].length, keep);
                int padCount = keep - n;
                for (int j = 0; j < keep; j++) {
                    boolean isPad = j < padCount;
                    padding[r][j] = isPad;
                    anyPad |= isPad;
                    ids[r * keep + j] = isPad ? pad : rows[r][rows[r].length - n + j - padCount];
                    pos[r * keep + j] = isPad ? 0 : j - padCount;
                }
            }
            try (NDManager sm = manager.newSubManager()) {
                Gpt.KvCache c = cached ? new Gpt.KvCache(manager, gpt.config().layers()) : null;
                NDArray mask = Gpt.causalMaskFor(sm, b, keep, 0, anyPad ? padding : null);
                NDArray logits = gpt.forwardWith(sm.create(ids, new Shape(b, keep)), sm.create(pos, new Shape(b, keep)),
                        mask, c);
                logProbs = lastLogProbs(logits, keep);
                cache = c;
            }
        }

        private float[][] lastLogProbs(NDArray logits, long t) {
            NDArray last = logits.get(new NDIndex(":, {}, :", t - 1)).logSoftmax(-1);
            int v = vocabSize();
            float[] flat = last.toFloatArray();
            int n = (int) logits.getShape().get(0);
            float[][] out = new float[n][];
            for (int r = 0; r < n; r++) {
                out[r] = Arrays.copyOfRange(flat, r * v, (r + 1) * v);
            }
            return out;
        }

        /**
         * Without copying the KV cache: the new positions attend to it in place. When the rows asked for are most
         * of this decoder's rows in order, all rows are computed (the others with a stand-in token, their results
         * dropped), which is cheaper than gathering the cache rows asked for.
         */
        @Override
        public float[][] peek(int[] parents, int[] tokens) {
            if (parents.length != tokens.length) {
                throw new IllegalArgumentException("parents and tokens differ in length");
            }
            if (!cached || cache.length() + 1 > contextLength() || parents.length == 0) {
                return Decoder.super.peek(parents, tokens);
            }
            int b = rows.length;
            boolean increasing = true;
            for (int i = 0; i < parents.length; i++) {
                increasing &= parents[i] >= 0 && parents[i] < b && (i == 0 || parents[i] > parents[i - 1]);
            }
            boolean allRows = increasing && parents.length * 8 >= b * 7;
            int[] use = parents;
            int[] toks = tokens;
            if (allRows && parents.length < b) {
                use = new int[b];
                toks = new int[b];
                for (int r = 0; r < b; r++) {
                    use[r] = r;
                    toks[r] = rows[r][rows[r].length - 1];
                }
                for (int i = 0; i < parents.length; i++) {
                    toks[parents[i]] = tokens[i];
                }
            }
            try (NDManager sm = manager.newSubManager()) {
                Gpt.KvCache past = cache;
                if (!allRows) {
                    long[] idx = new long[parents.length];
                    for (int i = 0; i < parents.length; i++) {
                        idx[i] = parents[i];
                    }
                    past = cache.select(sm, sm.create(idx));
                }
                boolean[][] pads = new boolean[use.length][];
                for (int i = 0; i < use.length; i++) {
                    pads[i] = padding[use[i]];
                }
                NDArray logits = step(sm, past, pads, toks, false);
                float[][] lp = lastLogProbs(logits, 1);
                if (use == parents) {
                    return lp;
                }
                float[][] out = new float[parents.length][];
                for (int i = 0; i < parents.length; i++) {
                    out[i] = lp[parents[i]];
                }
                return out;
            }
        }

        /**
         * One new token per row on top of {@code past}: positions count from each row's first real token, padded
         * keys are masked.
         *
         * @param pads each row's padding flags of the cached positions
         * @param extend whether the cache is extended by the new tokens (then {@link #padding} follows it)
         * @return logits {@code [B, 1, V]}
         */
        private NDArray step(NDManager sm, Gpt.KvCache past, boolean[][] pads, int[] tokens, boolean extend) {
            int b = tokens.length;
            long length = past.length();
            boolean anyPad = false;
            boolean[][] next = new boolean[b][];
            long[] ids = new long[b];
            long[] pos = new long[b];
            for (int i = 0; i < b; i++) {
                next[i] = Arrays.copyOf(pads[i], (int) length + 1);
                int padCount = 0;
                for (boolean p : pads[i]) {
                    padCount += p ? 1 : 0;
                }
                anyPad |= padCount > 0;
                ids[i] = tokens[i];
                pos[i] = length - padCount;
            }
            NDArray mask = anyPad ? Gpt.causalMaskFor(sm, b, 1, length, next) : null;
            NDArray idArray = sm.create(ids, new Shape(b, 1));
            NDArray posArray = sm.create(pos, new Shape(b, 1));
            if (!extend) {
                return gpt.peek(idArray, posArray, mask, past);
            }
            padding = next;
            return gpt.forwardWith(idArray, posArray, mask, past);
        }

        @Override
        public float[][] logProbs() {
            return logProbs;
        }

        @Override
        public void advance(int[] parents, int[] tokens) {
            if (parents.length != tokens.length) {
                throw new IllegalArgumentException("parents and tokens differ in length");
            }
            int b = parents.length;
            int[][] next = new int[b][];
            boolean[][] nextPad = new boolean[b][];
            boolean identity = b == rows.length;
            for (int i = 0; i < b; i++) {
                int[] old = rows[parents[i]];
                next[i] = Arrays.copyOf(old, old.length + 1);
                next[i][old.length] = tokens[i];
                nextPad[i] = padding[parents[i]];
                identity &= parents[i] == i;
            }
            rows = next;
            if (!cached || cache.length() + 1 > contextLength()) {
                rebuild();
                return;
            }
            try (NDManager sm = manager.newSubManager()) {
                if (!identity) {
                    long[] idx = new long[b];
                    for (int i = 0; i < b; i++) {
                        idx[i] = parents[i];
                    }
                    cache.reorder(sm.create(idx));
                }
                logProbs = lastLogProbs(step(sm, cache, nextPad, tokens, true), 1);
            }
        }

        @Override
        public void close() {
            if (cache != null) {
                cache.close();
            }
            manager.close();
        }
    }
}
