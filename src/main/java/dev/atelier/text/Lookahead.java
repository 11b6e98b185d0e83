package dev.atelier.text;

import dev.atelier.text.constraint.ConstraintTracker;
import java.util.function.BiFunction;

/**
 * Lookahead for strict mode, in the style of NeuroLogic A*esque decoding (Lu et al., NAACL 2022): for each
 * candidate, an estimate of what its unmet constraints will still cost, added with a weight to its ranking score
 * (A*: the score so far plus an estimate of the cost to come). The estimate follows the greedy continuation of the
 * candidate for {@code depth} tokens (with the model's KV cache: the first position is the candidate's own
 * next-token distribution, further ones run on a {@link LanguageModel.Decoder#branch branch} of the decoder, and the
 * last one is only {@link LanguageModel.Decoder#peek peeked} at, which copies no cache) and
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
     * @param deeper given bounds of each candidate's estimate from depth 1, which costs no decoding (the rows are
     *     the candidates' own) — the depth-1 estimate, which a deeper one can only raise, and the most a deeper one
     *     can be — says which candidates are worth rolling out further; the others keep their depth-1 estimate
     * @return the estimate per candidate, ≤ 0 (0 with nothing left to meet)
     */
    double[] estimate(LanguageModel.Decoder decoder, float[][] all, int[] rows, ConstraintTracker[] trackers,
            int[] left, BiFunction<double[], double[], boolean[]> deeper) {
        int count = rows.length;
        // best[i][c]: the best log-probability of the way to constraint c's next token along i's rollout (the
        // candidates of a batch may belong to prompts with different constraints); null: nothing left to meet
        double[][] best = new double[count][];
        double[] path = new double[count];
        ConstraintTracker[] state = new ConstraintTracker[count];
        int[] greedy = new int[count];
        for (int i = 0; i < count; i++) {
            if (trackers[i].satisfied()) {
                continue;
            }
            state[i] = trackers[i];
            best[i] = new double[state[i].requiredCount()];
            for (int c = 0; c < best[i].length; c++) {
                // a complete constraint costs nothing more; one in a gap (any token fills it) is counted as free
                best[i][c] = state[i].isComplete(c) || state[i].advanceTokens(c).length == 0 ? 0 : UNREACHABLE;
            }
            scan(best[i], state[i], path[i], all[rows[i]]);
            if (depth > 1) {
                greedy[i] = argmax(all[rows[i]]);
            }
        }
        double[] h = totals(best, trackers, left);
        if (depth == 1) {
            return h;
        }
        // Deeper positions add at least the first greedy token's log-probability to the way, so each constraint's
        // estimate can rise at most to that: bounds of the deeper estimate from depth 1.
        double[][] high = new double[count][];
        for (int i = 0; i < count; i++) {
            if (best[i] != null) {
                float first = all[rows[i]][greedy[i]];
                high[i] = new double[best[i].length];
                for (int c = 0; c < best[i].length; c++) {
                    high[i][c] = Math.max(best[i][c], first);
                }
            }
        }
        boolean[] worth = deeper.apply(h.clone(), totals(high, trackers, left));
        int n = 0;
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) {
            if (best[i] != null && h[i] > UNREACHABLE && worth[i] && isOpen(state[i])) {
                idx[n++] = i;
            }
        }
        if (n == 0) {
            return h;
        }
        int[] from = new int[n];
        int[] tokens = new int[n];
        for (int k = 0; k < n; k++) {
            from[k] = rows[idx[k]];
        }
        int[] same = new int[n];
        for (int k = 0; k < n; k++) {
            same[k] = k;
        }
        // Positions 2 … depth: a branch of the decoder follows the greedy tokens; the last position is only peeked at
        // (it is never continued, so its keys and values need not be kept).
        LanguageModel.Decoder branch = null;
        try {
            float[][] lp = null;
            for (int j = 1; j < depth; j++) {
                for (int k = 0; k < n; k++) {
                    int i = idx[k];
                    path[i] += (lp == null ? all[rows[i]] : lp[k])[greedy[i]];
                    state[i] = state[i].copy();
                    state[i].accept(greedy[i]);
                    for (int c = 0; c < best[i].length; c++) {
                        if (state[i].isComplete(c)) {
                            best[i][c] = Math.max(best[i][c], path[i]);
                        }
                    }
                }
                int[] next = greedyOf(idx, n, greedy, tokens);
                boolean last = j == depth - 1;
                if (branch == null) {
                    if (last) {
                        lp = decoder.peek(from, next);
                    } else {
                        branch = decoder.branch(from, next);
                        lp = branch.logProbs();
                    }
                } else if (last) {
                    lp = branch.peek(same, next);
                } else {
                    branch.advance(same, next);
                    lp = branch.logProbs();
                }
                for (int k = 0; k < n; k++) {
                    int i = idx[k];
                    // a rollout that has met everything keeps its path; its row is advanced with the others
                    if (isOpen(state[i])) {
                        scan(best[i], state[i], path[i], lp[k]);
                    }
                    if (!last) {
                        greedy[i] = argmax(lp[k]);
                    }
                }
            }
        } finally {
            if (branch != null) {
                branch.close();
            }
        }
        return totals(best, trackers, left);
    }

    private static int[] greedyOf(int[] idx, int n, int[] greedy, int[] out) {
        for (int k = 0; k < n; k++) {
            out[k] = greedy[idx[k]];
        }
        return out.clone();
    }

    /** Updates {@code best} with the tokens that advance each constraint at this position. */
    private void scan(double[] best, ConstraintTracker state, double path, float[] lp) {
        for (int c = 0; c < best.length; c++) {
            for (int t : state.advanceTokens(c)) {
                if (t >= 0 && t < lp.length && t != eos && lp[t] != Float.NEGATIVE_INFINITY) {
                    best[c] = Math.max(best[c], path + lp[t]);
                }
            }
        }
    }

    /** @return per candidate the summed estimate, or UNREACHABLE when its constraints need more tokens than left */
    private static double[] totals(double[][] best, ConstraintTracker[] trackers, int[] left) {
        double[] h = new double[best.length];
        for (int i = 0; i < best.length; i++) {
            if (best[i] == null) {
                continue;
            }
            double sum = 0;
            int needed = 0;
            ConstraintTracker t = trackers[i];
            for (int c = 0; c < best[i].length; c++) {
                sum += best[i][c];
                needed += t.length(c) - t.matched(c);
            }
            h[i] = needed > left[i] ? UNREACHABLE : sum;
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
