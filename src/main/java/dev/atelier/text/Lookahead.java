package dev.atelier.text;

import dev.atelier.text.constraint.ConstraintTracker;

/**
 * Lookahead for strict mode, in the style of NeuroLogic A*esque decoding (Lu et al., NAACL 2022): for each
 * candidate, an estimate of what its unmet constraints will still cost, added with a weight to its ranking score
 * (A*: the score so far plus an estimate of the cost to come). The estimate follows the greedy continuation of the
 * candidate for {@code depth} tokens (with the model's KV cache: the first position is the candidate's own
 * next-token distribution, further ones run on a {@link LanguageModel.Decoder#branch branch} of the decoder) and
 * takes, for each unmet constraint c, the best log-probability of the way to c's next token along it,
 * {@code h_c = max_j max_t [log p(g_1 … g_{j-1}) + log p(t | …, g_{j-1})]} over the positions j and the tokens t
 * that advance c there (g are the greedy tokens; the constraint states follow them); the estimate is
 * {@code Σ_c h_c}. A constraint in a gap of its template, which any token fills, counts 0; so does a met one. A
 * candidate whose unmet constraints need more tokens than are left gets {@link #UNREACHABLE}: it cannot end
 * satisfied. The score of an output never includes the estimate.
 */
final class Lookahead {
    /** Stands for "the constraints cannot be met": low, but finite so that weights never make NaN. */
    static final double UNREACHABLE = -1e4;

    private final int depth;
    private final int eos;
    private final int pad;

    /**
     * @param depth tokens looked at, at least 1
     * @param eos end-of-sequence id (never a greedy token)
     * @param pad padding id (never a greedy token)
     */
    Lookahead(int depth, int eos, int pad) {
        this.depth = depth;
        this.eos = eos;
        this.pad = pad;
    }

    /**
     * @param decoder positioned after the candidates (its rows include theirs); not changed
     * @param all the decoder's current log-probabilities
     * @param rows each candidate's row in the decoder
     * @param trackers each candidate's constraint state after its token; not changed
     * @param left tokens each candidate may still generate after its own
     * @return the estimate per candidate, ≤ 0 (0 with nothing left to meet)
     */
    double[] estimate(LanguageModel.Decoder decoder, float[][] all, int[] rows, ConstraintTracker[] trackers,
            int[] left) {
        double[] h = new double[rows.length];
        // Only candidates with something left to meet are rolled out; the others keep 0.
        int[] idx = new int[rows.length];
        int n = 0;
        for (int i = 0; i < rows.length; i++) {
            if (!trackers[i].satisfied()) {
                idx[n++] = i;
            }
        }
        if (n == 0) {
            return h;
        }
        // best[i][c]: the best log-probability of the way to constraint c's next token along i's rollout (the
        // candidates of a batch may belong to prompts with different constraints)
        double[][] best = new double[n][];
        double[] path = new double[n];
        ConstraintTracker[] state = new ConstraintTracker[n];
        boolean[] open = new boolean[n];
        int[] from = new int[n];
        float[][] lp = new float[n][];
        for (int i = 0; i < n; i++) {
            state[i] = trackers[idx[i]];
            best[i] = new double[state[i].requiredCount()];
            for (int c = 0; c < best[i].length; c++) {
                // a complete constraint costs nothing more; one in a gap (any token fills it) is counted as free
                best[i][c] = state[i].isComplete(c) || state[i].advanceTokens(c).length == 0 ? 0 : UNREACHABLE;
            }
            open[i] = isOpen(state[i]);
            from[i] = rows[idx[i]];
            lp[i] = all[from[i]];
        }
        LanguageModel.Decoder branch = null;
        try {
            for (int j = 0; j < depth; j++) {
                int[] greedy = new int[n];
                for (int i = 0; i < n; i++) {
                    if (open[i]) {
                        for (int c = 0; c < best[i].length; c++) {
                            for (int t : state[i].advanceTokens(c)) {
                                if (t >= 0 && t < lp[i].length && t != eos && lp[i][t] != Float.NEGATIVE_INFINITY) {
                                    best[i][c] = Math.max(best[i][c], path[i] + lp[i][t]);
                                }
                            }
                        }
                    }
                    greedy[i] = argmax(lp[i]);
                }
                if (j + 1 == depth) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (open[i]) {
                        path[i] += lp[i][greedy[i]];
                        state[i] = state[i].copy();
                        state[i].accept(greedy[i]);
                        for (int c = 0; c < best[i].length; c++) {
                            if (state[i].isComplete(c)) {
                                best[i][c] = Math.max(best[i][c], path[i]);
                            }
                        }
                        open[i] = isOpen(state[i]);
                    }
                }
                if (branch == null) {
                    branch = decoder.branch(from, greedy);
                } else {
                    int[] same = new int[n];
                    for (int i = 0; i < n; i++) {
                        same[i] = i;
                    }
                    branch.advance(same, greedy);
                }
                lp = branch.logProbs();
            }
        } finally {
            if (branch != null) {
                branch.close();
            }
        }
        for (int i = 0; i < n; i++) {
            double sum = 0;
            int needed = 0;
            ConstraintTracker t = trackers[idx[i]];
            for (int c = 0; c < best[i].length; c++) {
                sum += best[i][c];
                needed += t.length(c) - t.matched(c);
            }
            if (needed > left[idx[i]]) {
                sum = UNREACHABLE;
            }
            h[idx[i]] = sum;
        }
        return h;
    }

    private static boolean isOpen(ConstraintTracker t) {
        return !t.satisfied() && t.advanceTokens().length > 0;
    }

    /** @return the likeliest token that is neither EOS nor padding (the lowest id on ties) */
    private int argmax(float[] row) {
        int arg = -1;
        float v = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < row.length; t++) {
            if (t != eos && t != pad && (arg < 0 || row[t] > v)) {
                arg = t;
                v = row[t];
            }
        }
        return arg;
    }
}
