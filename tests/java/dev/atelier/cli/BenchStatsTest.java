package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BenchStatsTest {
    @Test
    void medianOfOddAndEvenCountsByHand() {
        assertEquals(3.0, BenchStats.median(new double[] {5, 1, 3}));
        assertEquals(2.5, BenchStats.median(new double[] {4, 1, 3, 2}));
        assertEquals(700L, BenchStats.median(new long[] {900, 600, 800, 600}));
        assertThrows(IllegalArgumentException.class, () -> BenchStats.median(new double[0]));
    }

    @Test
    void medianDoesNotReorderItsInput() {
        double[] v = {3, 1, 2};
        BenchStats.median(v);
        assertEquals(3.0, v[0]);
    }
}
