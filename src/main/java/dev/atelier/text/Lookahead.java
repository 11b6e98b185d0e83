package dev.atelier.text;

import dev.atelier.text.constraint.ConstraintTracker;

/**
 * Lookahead for strict mode, in the style of NeuroLogic A*esque decoding (Lu et al., NAACL 2022): for each
 * candidate, an estimate of how cheaply its unmet constraints can still be met, added with a weight to its
 * ranking score. The estimate follows the greedy continuation of the candidate for {@code depth} tokens (with the
 * model's KV cache: the first position is the candidate's own next-token distribution, further ones run on a
 * {@link LanguageModel.Decoder#branch branch} of the decoder) and takes, over the positions j and the tokens t
 * that would advance an unmet constraint there, the best log-probability of reaching t:
 * {@code h = max_j max_t [log p(g_1 … g_{j-1}) + log p(t | …, g_{j-1})]}, where g are the greedy tokens and the
 * constraint state follows them. A candidate with nothing left to meet gets 0. The estimate only reorders
 * candidates within a bank; the score of an output never includes it.
 */
final class Lookahead {
    /** Stands for "no constraint token reachable": low, but finite so that weights never make NaN. */
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
     * @return the estimate per candidate, ≤ 0
     */
    double[] estimate(LanguageModel.Decoder decoder, float[][] all, int[] rows, ConstraintTracker[] trackers) {
        double[] h = new double[rows.length];
        // Only candidates with something left to meet are rolled out; the others keep 0.
        int[] idx = new int[rows.length];
        int n = 0;
        for (int i = 0; i < rows.length; i++) {
            if (isOpen(trackers[i])) {
                idx[n++] = i;
            }
        }
        if (n == 0) {
            return h;
        }
        double[] best = new double[n];
        java.util.Arrays.fill(best, UNREACHABLE);
        double[] path = new double[n];
        ConstraintTracker[] state = new ConstraintTracker[n];
        boolean[] open = new boolean[n];
        int[] from = new int[n];
        float[][] lp = new float[n][];
        for (int i = 0; i < n; i++) {
            state[i] = trackers[idx[i]];
            open[i] = true;
            from[i] = rows[idx[i]];
            lp[i] = all[from[i]];
        }
        LanguageModel.Decoder branch = null;
        try {
            for (int j = 0; j < depth; j++) {
                int[] greedy = new int[n];
                for (int i = 0; i < n; i++) {
                    if (open[i]) {
                        for (int t : state[i].advanceTokens()) {
                            if (t >= 0 && t < lp[i].length && t != eos && lp[i][t] != Float.NEGATIVE_INFINITY) {
                                best[i] = Math.max(best[i], path[i] + lp[i][t]);
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
            h[idx[i]] = best[i];
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
