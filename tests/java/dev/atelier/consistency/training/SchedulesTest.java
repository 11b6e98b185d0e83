package dev.atelier.consistency.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atelier.consistency.KarrasGrid;
import dev.atelier.consistency.Parameterization;
import org.junit.jupiter.api.Test;

/** Curricula and the σ-index distribution against values worked out by hand. */
class SchedulesTest {
    @Test
    void ictDoublesFromS0ToS1() {
        // K = 8000, s0 = 10, s1 = 1280: log2(128) = 7 doublings, K' = 8000/8 = 1000
        assertEquals(11, Schedules.ictN(0, 8000, 10, 1280));
        assertEquals(11, Schedules.ictN(999, 8000, 10, 1280));
        assertEquals(21, Schedules.ictN(1000, 8000, 10, 1280));
        assertEquals(41, Schedules.ictN(2500, 8000, 10, 1280));
        assertEquals(1281, Schedules.ictN(7000, 8000, 10, 1280));
        assertEquals(1281, Schedules.ictN(7999, 8000, 10, 1280));
    }

    @Test
    void ctGrowsAsSquareRootAndMuFollows() {
        // N(0) = ⌈√(s0²) − 1⌉ + 1 = s0; N(K) = ⌈√((s1+1)²) − 1⌉ + 1 = s1 + 1
        assertEquals(2, Schedules.ctN(0, 1000, 2, 150));
        assertEquals(151, Schedules.ctN(1000, 1000, 2, 150));
        // k = K/2: √(0.5·(151² − 4) + 4) = √11404.5 = 106.79 → ⌈105.79⌉ + 1 = 107
        assertEquals(107, Schedules.ctN(500, 1000, 2, 150));
        assertEquals(0.9, Schedules.ctMu(2, 2, 0.9), 1e-12);
        assertEquals(Math.exp(2 * Math.log(0.9) / 107), Schedules.ctMu(107, 2, 0.9), 1e-12);
    }

    @Test
    void erfMatchesTabulatedValues() {
        assertEquals(0.0, Schedules.erf(0), 1e-7);
        assertEquals(0.5204998778, Schedules.erf(0.5), 2e-7);
        assertEquals(0.8427007929, Schedules.erf(1), 2e-7);
        assertEquals(-0.9953222650, Schedules.erf(-2), 2e-7);
    }

    @Test
    void lognormalIndexFavoursMiddleNoiseLevels() {
        double[] grid = KarrasGrid.ascending(11, Parameterization.DEFAULT);
        double[] cdf = Schedules.lognormalCdf(grid, -1.1, 2.0);
        assertEquals(10, cdf.length);
        assertEquals(1.0, cdf[9], 0);
        // P(n) is the lognormal mass between σ_n and σ_{n+1}: check one interval by hand
        double total = Schedules.erf((Math.log(80) + 1.1) / (Math.sqrt(2) * 2))
                - Schedules.erf((Math.log(0.002) + 1.1) / (Math.sqrt(2) * 2));
        double p3 = (Schedules.erf((Math.log(grid[4]) + 1.1) / (Math.sqrt(2) * 2))
                - Schedules.erf((Math.log(grid[3]) + 1.1) / (Math.sqrt(2) * 2))) / total;
        assertEquals(p3, cdf[3] - cdf[2], 1e-12);
        assertEquals(0, Schedules.pick(cdf, 0.0));
        assertEquals(9, Schedules.pick(cdf, 0.999999999));
        assertEquals(3, Schedules.pick(cdf, (cdf[2] + cdf[3]) / 2));
    }
}
