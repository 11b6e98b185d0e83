package dev.atelier.consistency.training;

/**
 * The discretisation curricula and the σ-index distribution of consistency training. Steps k count from 0
 * to K−1; grids have N points σ_1 = ε … σ_N = T (ascending), and a training pair is (σ_n, σ_{n+1}),
 * n = 0…N−2 in 0-based indexing.
 */
public final class Schedules {
    private Schedules() {
    }

    /**
     * CT (Song et al. 2023, Algorithm 3): N(k) = ⌈√(k/K·((s₁+1)² − s₀²) + s₀²) − 1⌉ + 1.
     */
    public static int ctN(long k, long total, int s0, int s1) {
        double v = Math.sqrt((double) k / total * ((s1 + 1.0) * (s1 + 1.0) - (double) s0 * s0) + (double) s0 * s0);
        return (int) Math.ceil(v - 1) + 1;
    }

    /** CT: μ(k) = exp(s₀·ln μ₀ / N(k)), the EMA decay of the target network. */
    public static double ctMu(int n, int s0, double mu0) {
        return Math.exp(s0 * Math.log(mu0) / n);
    }

    /**
     * iCT: N(k) = min(s₀·2^⌊k/K'⌋, s₁) + 1 with K' = ⌊K / (⌊log₂⌊s₁/s₀⌋⌋ + 1)⌋.
     */
    public static int ictN(long k, long total, int s0, int s1) {
        int doublings = 31 - Integer.numberOfLeadingZeros(Math.max(1, s1 / s0));
        long kPrime = Math.max(1, total / (doublings + 1));
        long stage = k / kPrime;
        long n = stage >= 31 ? s1 : Math.min((long) s0 << stage, s1);
        return (int) n + 1;
    }

    /**
     * iCT's discretised lognormal: P(n) ∝ erf((ln σ_{n+1} − P_mean)/(√2·P_std)) − erf((ln σ_n − P_mean)/(√2·P_std)).
     *
     * @param grid the ascending grid
     * @return cumulative probabilities of n = 0…N−2 (last = 1)
     */
    public static double[] lognormalCdf(double[] grid, double pMean, double pStd) {
        double[] cdf = new double[grid.length - 1];
        double sum = 0;
        for (int n = 0; n < cdf.length; n++) {
            double a = erf((Math.log(grid[n + 1]) - pMean) / (Math.sqrt(2) * pStd));
            double b = erf((Math.log(grid[n]) - pMean) / (Math.sqrt(2) * pStd));
            sum += Math.max(0, a - b);
            cdf[n] = sum;
        }
        for (int n = 0; n < cdf.length; n++) {
            cdf[n] /= sum;
        }
        cdf[cdf.length - 1] = 1.0;
        return cdf;
    }

    /** @return the index n with cdf[n−1] ≤ u < cdf[n] */
    public static int pick(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cdf[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * The error function, |error| < 1.2·10⁻⁷ (Chebyshev fit of erfc as in Numerical Recipes, §6.2).
     */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        double erfc = t * Math.exp(poly);
        return x >= 0 ? 1 - erfc : erfc - 1;
    }
}
