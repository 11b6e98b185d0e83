package dev.atelier.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Java-side random stream: SplitMix64 reference values, moments, restore. */
class RandomStreamTest {
    @Test
    void firstValueMatchesSplitMix64Reference() {
        // SplitMix64 with state 0: the published first output is 0xE220A8397B1DCDAF
        assertEquals(0xE220A8397B1DCDAFL, new RandomStream(0).nextLong());
    }

    @Test
    void gaussiansHaveUnitMomentsAndRestoreRepeats() {
        RandomStream r = new RandomStream(3);
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            sq += g * g;
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, sq / n, 0.01);
        RandomStream.State s = r.state();
        double a = r.nextGaussian();
        int b = r.nextInt(10);
        r.restore(s);
        assertEquals(a, r.nextGaussian());
        assertEquals(b, r.nextInt(10));
        for (int i = 0; i < 1000; i++) {
            int k = r.nextInt(7);
            assertTrue(k >= 0 && k < 7);
        }
    }
}
