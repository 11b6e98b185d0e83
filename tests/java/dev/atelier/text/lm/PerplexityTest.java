package dev.atelier.text.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atelier.text.LanguageModel;
import org.junit.jupiter.api.Test;

class PerplexityTest {
    /** A model whose next-token distribution depends only on how many tokens its row holds. */
    static final class LengthModel implements LanguageModel {
        @Override public int vocabSize() { return 4; }
        @Override public int eosId() { return 0; }
        @Override public int padId() { return 0; }

        /** P(token | a history of n tokens): token 1 has probability 1/(n+1), the rest share the remainder. */
        static double p(int n, int token) {
            double one = 1.0 / (n + 1);
            return token == 1 ? one : (1 - one) / 3;
        }

        @Override
        public Decoder start(int[][] rows) {
            int[] lengths = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                lengths[i] = rows[i].length;
            }
            return new Decoder() {
                int[] len = lengths;

                @Override
                public float[][] logProbs() {
                    float[][] out = new float[len.length][4];
                    for (int r = 0; r < len.length; r++) {
                        for (int t = 0; t < 4; t++) {
                            out[r][t] = (float) Math.log(p(len[r], t));
                        }
                    }
                    return out;
                }

                @Override
                public void advance(int[] parents, int[] tokens) {
                    int[] next = new int[parents.length];
                    for (int i = 0; i < parents.length; i++) {
                        next[i] = len[parents[i]] + 1;
                    }
                    len = next;
                }
            };
        }
    }

    @Test
    void fixedDistributionGivesItsCrossEntropy() {
        // tokens 1,2,3,1,1: targets 2,3,1,1 with windows of 10 → histories of 1,2,3,4 tokens
        int[] tokens = {1, 2, 3, 1, 1};
        double nll = -Math.log(LengthModel.p(1, 2)) - Math.log(LengthModel.p(2, 3)) - Math.log(LengthModel.p(3, 1))
                - Math.log(LengthModel.p(4, 1));
        Perplexity.Result r = Perplexity.evaluate(new LengthModel(), tokens, 10, 8, null);
        assertEquals(4, r.count());
        assertEquals(nll, r.nll(), 1e-5);
        assertEquals(Math.exp(nll / 4), r.perplexity(), 1e-5);
    }

    @Test
    void windowsRestartTheContextAndScoreEachTokenOnce() {
        // window 2 over 6 tokens: windows [0..2], [2..4], [3..5]; the last one scores only target 5, with a
        // full window of history: histories 1,2 | 1,2 | 2
        int[] tokens = {2, 1, 3, 1, 2, 1};
        double nll = -Math.log(LengthModel.p(1, 1)) - Math.log(LengthModel.p(2, 3))
                - Math.log(LengthModel.p(1, 1)) - Math.log(LengthModel.p(2, 2))
                - Math.log(LengthModel.p(2, 1));
        for (int rows : new int[] {1, 2, 8}) {
            Perplexity.Result r = Perplexity.evaluate(new LengthModel(), tokens, 2, rows, null);
            assertEquals(5, r.count());
            assertEquals(nll, r.nll(), 1e-5, "rows " + rows);
        }
    }

    @Test
    void stridedWindowsKeepAtLeastWindowMinusStrideTokensOfContext() {
        // window 3, stride 1 over 6 tokens: [0..3] scores targets 1,2,3 (histories 1,2,3); [1..4] scores 4 and
        // [2..5] scores 5, each with a history of 3 tokens
        int[] tokens = {2, 1, 3, 1, 2, 1};
        double nll = -Math.log(LengthModel.p(1, 1)) - Math.log(LengthModel.p(2, 3)) - Math.log(LengthModel.p(3, 1))
                - Math.log(LengthModel.p(3, 2)) - Math.log(LengthModel.p(3, 1));
        for (int rows : new int[] {1, 4}) {
            Perplexity.Result r = Perplexity.evaluate(new LengthModel(), tokens, 3, 1, rows, null);
            assertEquals(5, r.count());
            assertEquals(nll, r.nll(), 1e-5, "rows " + rows);
        }
        // stride 2: [0..3] scores 1..3; [2..5] scores 4 (history 2) and 5 (history 3)
        double nll2 = -Math.log(LengthModel.p(1, 1)) - Math.log(LengthModel.p(2, 3)) - Math.log(LengthModel.p(3, 1))
                - Math.log(LengthModel.p(2, 2)) - Math.log(LengthModel.p(3, 1));
        assertEquals(nll2, Perplexity.evaluate(new LengthModel(), tokens, 3, 2, 2, null).nll(), 1e-5);
    }

    @Test
    void uniformModelHasPerplexityV() {
        LanguageModel uniform = new KneserNey(new int[] {}, 1, 7, 0, 0);
        Perplexity.Result r = Perplexity.evaluate(uniform, new int[] {1, 2, 3, 4, 5, 6, 0, 1}, 3, 2, null);
        assertEquals(7.0, r.perplexity(), 1e-4);
    }
}
