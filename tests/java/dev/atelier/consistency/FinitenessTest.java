package dev.atelier.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import dev.atelier.text.search.BeamSearch;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.BigramModel;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue #16, class 3: every evaluation of a consistency model and every row of log-probabilities is checked, so a
 * model that turns NaN or infinite after its load-time test run stops the job with a message instead of giving a
 * black or white image, or a "score NaN, satisfied" text.
 */
class FinitenessTest {
    /** The exact oracle, except that evaluation {@code badCall} (1-based) returns {@code bad} at one value. */
    static ConsistencyModel failingAt(int badCall, int badIndex, float bad) {
        OracleModel oracle = new OracleModel(new double[] {0.2}, 0.3, 4, 80);
        return new ConsistencyModel() {
            int calls;

            @Override public int size() { return oracle.size(); }
            @Override public int channels() { return oracle.channels(); }
            @Override public int numClasses() { return 0; }
            @Override public Parameterization parameterization() { return oracle.parameterization(); }

            @Override
            public float[] denoise(float[] x, float[] sigma, int[] labels) {
                float[] out = oracle.denoise(x, sigma, labels);
                if (++calls == badCall) {
                    out[badIndex % out.length] = bad;
                }
                return out;
            }

            @Override public void close() { }
        };
    }

    static NoiseSource[] noise(int n) {
        NoiseSource[] s = new NoiseSource[n];
        for (int i = 0; i < n; i++) {
            s[i] = NoiseSource.gaussian(i);
        }
        return s;
    }

    @Test
    void anyNonFiniteValueAtAnyEvaluationStopsTheJob() {
        // property: whichever evaluation, image and value goes bad, sampling refuses (never returns an image)
        Random r = new Random(16);
        double[] sigmas = {80, 5, 1, 0.2};
        float[] bads = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int trial = 0; trial < 60; trial++) {
            int call = 1 + r.nextInt(sigmas.length);
            int images = 1 + r.nextInt(3);
            int index = r.nextInt(images * 16);
            float bad = bads[r.nextInt(bads.length)];
            ConsistencySampler s = new ConsistencySampler(failingAt(call, index, bad));
            AtelierException e = assertThrows(AtelierException.class,
                    () -> s.sample(sigmas, noise(images), null, null), "evaluation " + call + " value " + bad);
            assertTrue(e.getMessage().contains("evaluation " + call + " of 4"), e.getMessage());
            assertTrue(e.getMessage().contains("image " + (index / 16 + 1)), e.getMessage());
        }
        // and a healthy model still samples
        assertEquals(16, new ConsistencySampler(failingAt(99, 0, 0f)).sample(sigmas, noise(1), null, null).length);
    }

    @Test
    void denoisingChecksItsOneEvaluationToo() {
        ConsistencySampler s = new ConsistencySampler(failingAt(1, 3, Float.NaN));
        assertThrows(AtelierException.class, () -> s.denoise(new float[16], 1.0, null));
    }

    /** A bigram model whose log-probability rows get {@code bad} at one entry from decoding step {@code from}. */
    static LanguageModel spoiled(BigramModel base, float bad, boolean wholeRow, int from) {
        return new LanguageModel() {
            @Override public int vocabSize() { return base.vocabSize(); }
            @Override public int eosId() { return base.eosId(); }
            @Override public int padId() { return base.padId(); }

            @Override
            public Decoder start(int[][] rows) {
                Decoder d = base.start(rows);
                return new Decoder() {
                    int step;

                    @Override
                    public float[][] logProbs() {
                        float[][] lp = d.logProbs().clone(); // copies: the bigram model shares its rows
                        for (int i = 0; i < lp.length; i++) {
                            lp[i] = lp[i].clone();
                        }
                        if (step++ >= from) {
                            for (float[] row : lp) {
                                if (wholeRow) {
                                    java.util.Arrays.fill(row, bad);
                                } else {
                                    row[2] = bad;
                                }
                            }
                        }
                        return lp;
                    }

                    @Override
                    public void advance(int[] parents, int[] tokens) {
                        d.advance(parents, tokens);
                    }
                };
            }
        };
    }

    @Test
    void nanOrAllImpossibleLogitsNeverBecomeAScore() {
        BigramModel lm = BigramModel.random(40, 5, 7);
        List<int[]> prompts = List.of(new int[] {2});
        List<ConstraintSet> none = List.of(ConstraintSet.NONE);
        for (dev.atelier.text.SearchMode mode : dev.atelier.text.SearchMode.values()) {
            BeamSearchConfig cfg = new BeamSearchConfig(mode, 3, null, 6, 0, 1.0,
                    dev.atelier.text.EarlyStopping.FALSE, 1, 0);
            List<TextOutput> healthy = BeamSearch.generate(lm, prompts, none, cfg, null);
            assertTrue(Double.isFinite(healthy.get(0).score()));
            for (int from = 0; from < 4; from++) {
                for (Object[] c : new Object[][] {{Float.NaN, false}, {Float.POSITIVE_INFINITY, false},
                        {Float.NEGATIVE_INFINITY, true}, {Float.NaN, true}}) {
                    LanguageModel bad = spoiled(lm, (Float) c[0], (Boolean) c[1], from);
                    AtelierException e = assertThrows(AtelierException.class,
                            () -> BeamSearch.generate(bad, prompts, none, cfg, null), mode + " " + c[0]);
                    assertTrue(e.getMessage().contains("language model"), e.getMessage());
                }
            }
            // a single impossible token (−∞) is a legitimate log-probability and still gives a finite score
            List<TextOutput> ok = BeamSearch.generate(spoiled(lm, Float.NEGATIVE_INFINITY, false, 0), prompts, none,
                    cfg, null);
            assertTrue(Double.isFinite(ok.get(0).score()));
        }
    }

    @Test
    void aNanScoreCannotBeReported() {
        assertThrows(AtelierException.class, () -> new TextOutput(0, 0, new int[] {1}, 1, Double.NaN, true, List.of()));
        assertEquals(Double.NEGATIVE_INFINITY,
                new TextOutput(0, 0, new int[] {1}, 1, Double.NEGATIVE_INFINITY, false, List.of()).score());
    }
}
