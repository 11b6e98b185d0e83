package dev.atelier.consistency.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atelier.train.Checkpoint;
import dev.atelier.train.RandomStream;
import org.junit.jupiter.api.Test;

/** Fréchet distance against closed forms, and feature statistics against hand-computed moments. */
class FrechetDistanceTest {
    @Test
    void identicalGaussiansAreAtZero() {
        double[][] cov = {{2, 0.5, 0}, {0.5, 1, 0.2}, {0, 0.2, 3}};
        double[] mean = {1, 2, 3};
        assertEquals(0, FrechetDistance.between(mean, cov, mean, cov), 1e-9);
    }

    @Test
    void diagonalCovariancesGiveSumOfSquaredRootDifferences() {
        // d² = |Δμ|² + Σ (√a_i − √b_i)²
        double[] m1 = {0, 1};
        double[] m2 = {3, 1};
        double[][] a = {{4, 0}, {0, 9}};
        double[][] b = {{1, 0}, {0, 16}};
        double expected = 9 + (2 - 1) * (2 - 1) + (3 - 4) * (3 - 4);
        assertEquals(expected, FrechetDistance.between(m1, a, m2, b), 1e-9);
    }

    @Test
    void nonCommutingCovariancesMatchHandComputation() {
        // Σ1 = I·4, Σ2 = [[2,1],[1,2]] (eigenvalues 1, 3): Tr((Σ1Σ2)^½) = 2·(1 + √3); d² = 8 + 4 − 4(1 + √3)
        double[][] a = {{4, 0}, {0, 4}};
        double[][] b = {{2, 1}, {1, 2}};
        double expected = 8 + 4 - 2 * 2 * (1 + Math.sqrt(3));
        assertEquals(expected, FrechetDistance.between(new double[2], a, new double[2], b), 1e-9);
        // rotated, non-diagonal both: Σ1 = [[2,1],[1,2]], Σ2 = [[3,0],[0,1]]: Σ1^½ Σ2 Σ1^½ has trace 2·3 + 2·1 = 8
        // and determinant det(Σ1)·det(Σ2) = 3·3 = 9, so its eigenvalue roots sum to √(8 + 2·3) = √14
        double[][] c = {{3, 0}, {0, 1}};
        double expected2 = 4 + 4 - 2 * Math.sqrt(14);
        assertEquals(expected2, FrechetDistance.between(new double[2], b, new double[2], c), 1e-9);
    }

    @Test
    void featureStatsMatchMomentsAndSurviveSaving() {
        float[] f = {1, 2, 3, 6, 5, 10};
        FeatureStats s = FeatureStats.of(f, 2);
        assertEquals(3, s.mean()[0], 1e-12);
        assertEquals(6, s.mean()[1], 1e-12);
        assertEquals(4, s.covariance()[0][0], 1e-12); // ((−2)² + 0 + 2²)/2
        assertEquals(16, s.covariance()[1][1], 1e-12);
        assertEquals(8, s.covariance()[0][1], 1e-12);
        Checkpoint c = new Checkpoint();
        s.save(c, "x");
        FeatureStats t = FeatureStats.load(c, "x");
        assertEquals(3, t.count());
        assertEquals(8, t.covariance()[1][0], 1e-6);
        // large samples from the same Gaussian come close to 0; a shifted mean adds |Δμ|²
        RandomStream r = new RandomStream(1);
        float[] a = new float[20000 * 3];
        float[] b = new float[20000 * 3];
        r.fillGaussian(a);
        r.fillGaussian(b);
        for (int i = 0; i < b.length; i += 3) {
            b[i] += 1f;
        }
        assertEquals(1.0, FrechetDistance.between(FeatureStats.of(a, 3), FeatureStats.of(b, 3)), 0.02);
    }
}
