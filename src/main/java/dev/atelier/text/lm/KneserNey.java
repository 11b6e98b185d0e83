package dev.atelier.text.lm;

import dev.atelier.text.LanguageModel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Interpolated Kneser–Ney n-gram model (Chen and Goodman 1998, one discount per order), the baseline the
 * transformer is measured against. The highest order uses raw counts, lower orders continuation counts
 * (the number of distinct tokens seen before the n-gram); the unigram level is interpolated with the
 * uniform distribution, so every token has a non-zero probability:
 *
 * <pre>
 * P_k(w | h) = max(c_k(h w) − D_k, 0) / c_k(h) + D_k · N1+(h •) / c_k(h) · P_{k−1}(w | h′)
 * P_1(w)     = max(c_1(w) − D_1, 0) / c_1 + D_1 · N1+(•) / c_1 · 1/V
 * </pre>
 *
 * where h′ is h without its oldest token, D_k = n1 / (n1 + 2·n2) from the numbers of order-k n-grams with
 * count one and two, and a context never seen at order k falls through to order k−1. Token ids must be
 * below 65,536 (n-grams are packed into a long, 16 bits a token).
 */
public final class KneserNey implements LanguageModel {
    private final int order;
    private final int vocab;
    private final int eos;
    private final int pad;
    /** per order k (index k−1): context key → followers */
    private final Map<Long, Followers>[] contexts;
    private final double[] discount;
    private final double[] unigram;

    /** Tokens seen after one context, with their (raw or continuation) counts. */
    private record Followers(int[] words, int[] counts, long total) {
    }

    /**
     * Counts n-grams of {@code tokens}.
     *
     * @param order the n-gram order (≥ 1)
     * @param vocab the vocabulary size V (all ids below it)
     */
    @SuppressWarnings("unchecked")
    public KneserNey(int[] tokens, int order, int vocab, int eos, int pad) {
        if (order < 1 || order > 4) {
            throw new IllegalArgumentException("order must be 1–4");
        }
        if (vocab > 65536) {
            throw new IllegalArgumentException("vocabulary above 65,536 ids");
        }
        this.order = order;
        this.vocab = vocab;
        this.eos = eos;
        this.pad = pad;
        // distinct n-grams of every order, and raw counts of the highest
        Map<Long, int[]> raw = new HashMap<>();
        Set<Long>[] types = new Set[order + 1];
        for (int k = 1; k <= order; k++) {
            types[k] = new HashSet<>();
        }
        for (int i = 0; i < tokens.length; i++) {
            long key = 0;
            for (int k = 1; k <= order && i - k + 1 >= 0; k++) {
                key = key | ((long) tokens[i - k + 1] << (16 * (k - 1)));
                // key holds tokens[i-k+1 .. i], oldest in the high bits
                types[k].add(key);
                if (k == order) {
                    raw.computeIfAbsent(key, x -> new int[1])[0]++;
                }
            }
        }
        contexts = new Map[order];
        discount = new double[order];
        for (int k = order; k >= 1; k--) {
            Map<Long, int[]> counts;
            if (k == order) {
                counts = raw;
            } else {
                counts = new HashMap<>();
                long mask = k == 4 ? -1L : (1L << (16 * k)) - 1;
                for (long g : types[k + 1]) {
                    counts.computeIfAbsent(g & mask, x -> new int[1])[0]++;
                }
            }
            long n1 = 0;
            long n2 = 0;
            for (int[] c : counts.values()) {
                n1 += c[0] == 1 ? 1 : 0;
                n2 += c[0] == 2 ? 1 : 0;
            }
            discount[k - 1] = n1 + n2 == 0 ? 0.5 : Math.max(0.05, Math.min(0.95, n1 / (double) (n1 + 2 * n2)));
            contexts[k - 1] = group(counts);
        }
        unigram = new double[vocab];
        Followers u = contexts[0].get(0L);
        double d = discount[0];
        long total = u == null ? 0 : u.total;
        double rest = total == 0 ? 1.0 : d * u.words.length / total;
        Arrays.fill(unigram, rest / vocab);
        if (u != null) {
            for (int j = 0; j < u.words.length; j++) {
                unigram[u.words[j]] += Math.max(u.counts[j] - d, 0) / total;
            }
        }
    }

    private static Map<Long, Followers> group(Map<Long, int[]> counts) {
        Map<Long, int[]> sizes = new HashMap<>();
        for (long g : counts.keySet()) {
            sizes.computeIfAbsent(g >>> 16, x -> new int[1])[0]++;
        }
        Map<Long, Followers> out = new HashMap<>();
        Map<Long, int[]> fill = new HashMap<>();
        sizes.forEach((ctx, n) -> out.put(ctx, new Followers(new int[n[0]], new int[n[0]], 0)));
        Map<Long, long[]> totals = new HashMap<>();
        for (Map.Entry<Long, int[]> e : counts.entrySet()) {
            long ctx = e.getKey() >>> 16;
            Followers f = out.get(ctx);
            int at = fill.computeIfAbsent(ctx, x -> new int[1])[0]++;
            f.words[at] = (int) (e.getKey() & 0xFFFF);
            f.counts[at] = e.getValue()[0];
            totals.computeIfAbsent(ctx, x -> new long[1])[0] += e.getValue()[0];
        }
        Map<Long, Followers> result = new HashMap<>();
        out.forEach((ctx, f) -> result.put(ctx, new Followers(f.words, f.counts, totals.get(ctx)[0])));
        return result;
    }

    /** @return the discount of order k (1-based) */
    public double discount(int k) {
        return discount[k - 1];
    }

    /**
     * @param history the preceding tokens (only the last order−1 are used)
     * @return P(w | history) for every w, summing to 1
     */
    public double[] probabilities(int[] history) {
        double[] p = unigram.clone();
        for (int k = 2; k <= order && k - 1 <= history.length; k++) {
            long ctx = 0;
            for (int j = 0; j < k - 1; j++) {
                ctx = (ctx << 16) | history[history.length - (k - 1) + j];
            }
            Followers f = contexts[k - 1].get(ctx);
            if (f == null || f.total == 0) {
                continue;
            }
            double d = discount[k - 1];
            double gamma = d * f.words.length / f.total;
            for (int w = 0; w < vocab; w++) {
                p[w] *= gamma;
            }
            for (int j = 0; j < f.words.length; j++) {
                p[f.words[j]] += Math.max(f.counts[j] - d, 0) / f.total;
            }
        }
        return p;
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
    public Decoder start(int[][] rows) {
        return new Decoder() {
            private int[][] histories = tail(rows);

            @Override
            public float[][] logProbs() {
                float[][] out = new float[histories.length][vocab];
                for (int r = 0; r < histories.length; r++) {
                    double[] p = probabilities(histories[r]);
                    for (int w = 0; w < vocab; w++) {
                        out[r][w] = (float) Math.log(p[w]);
                    }
                }
                return out;
            }

            @Override
            public void advance(int[] parents, int[] tokens) {
                histories = extend(histories, parents, tokens);
            }

            @Override
            public Decoder branch(int[] parents, int[] tokens) {
                return start(extend(histories, parents, tokens));
            }
        };
    }

    private int[][] extend(int[][] histories, int[] parents, int[] tokens) {
        int[][] next = new int[parents.length][];
        for (int i = 0; i < parents.length; i++) {
            int[] h = histories[parents[i]];
            int[] e = Arrays.copyOf(h, h.length + 1);
            e[h.length] = tokens[i];
            next[i] = e;
        }
        return tail(next);
    }

    private int[][] tail(int[][] rows) {
        int[][] out = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            int n = Math.min(rows[i].length, order - 1);
            out[i] = Arrays.copyOfRange(rows[i], rows[i].length - n, rows[i].length);
        }
        return out;
    }
}
