package dev.atelier.text.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Interpolated Kneser–Ney on a corpus small enough to work out by hand (see the comments). */
class KneserNeyTest {
    static final int[] CORPUS = {1, 2, 1, 3, 1, 2};

    @Test
    void bigramProbabilitiesMatchTheHandComputation() {
        KneserNey kn = new KneserNey(CORPUS, 2, 4, 0, 0);
        // bigram counts (1,2)=2, (2,1)=1, (1,3)=1, (3,1)=1: n1=3, n2=1 → D2 = 3/(3+2) = 0.6
        assertEquals(0.6, kn.discount(2), 1e-12);
        // continuation counts N1+(•w): w=1 → {2,3} = 2, w=2 → {1} = 1, w=3 → {1} = 1; n1=2, n2=1 → D1 = 0.5
        assertEquals(0.5, kn.discount(1), 1e-12);
        // P1(w) = max(c−0.5, 0)/4 + 0.5·3/4 · 1/4
        double[] p1 = {0.09375, 0.46875, 0.21875, 0.21875};
        assertArrayClose(p1, kn.probabilities(new int[] {}));
        assertArrayClose(p1, kn.probabilities(new int[] {0})); // unseen context falls through
        // after 1: followers {2:2, 3:1}, total 3, γ = 0.6·2/3 = 0.4
        assertArrayClose(new double[] {0.4 * 0.09375, 0.4 * 0.46875, 1.4 / 3 + 0.4 * 0.21875, 0.4 / 3 + 0.4 * 0.21875},
                kn.probabilities(new int[] {1}));
        // after 2: followers {1:1}, γ = 0.6
        assertArrayClose(new double[] {0.6 * 0.09375, 0.4 + 0.6 * 0.46875, 0.6 * 0.21875, 0.6 * 0.21875},
                kn.probabilities(new int[] {3, 2}));
    }

    @Test
    void trigramUsesContinuationCountsBelowTheTop() {
        KneserNey kn = new KneserNey(CORPUS, 3, 4, 0, 0);
        // all four trigrams occur once: n2 = 0 → D3 = 1, clamped to 0.95; bigram continuation counts are
        // all 1 → D2 = 0.95 as well. P(1 | 1 2) = 0.05 + 0.95 · (0.05 + 0.95 · P1(1)), P1(1) = 0.46875
        double expected = 0.05 + 0.95 * (0.05 + 0.95 * 0.46875);
        assertEquals(expected, kn.probabilities(new int[] {1, 2})[1], 1e-12);
        double sum = 0;
        for (double p : kn.probabilities(new int[] {3, 1})) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-12);
    }

    @Test
    void decoderFollowsBeams() {
        KneserNey kn = new KneserNey(CORPUS, 2, 4, 0, 0);
        var d = kn.start(new int[][] {{3}, {2}});
        d.advance(new int[] {1, 1}, new int[] {1, 3});
        float[][] lp = d.logProbs();
        assertEquals(Math.log(1.4 / 3 + 0.4 * 0.21875), lp[0][2], 1e-6);
        assertEquals(Math.log(0.6 * 0.09375), lp[1][0], 1e-6); // context 3 is followed by 1 only: γ = 0.6
    }

    static void assertArrayClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, "index " + i);
        }
    }
}
