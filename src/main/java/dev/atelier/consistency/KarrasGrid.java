package dev.atelier.consistency;

/**
 * The Karras et al. noise grid as the consistency-model paper writes it for training, ascending:
 * σ_i = (ε^(1/ρ) + (i−1)/(N−1)·(T^(1/ρ) − ε^(1/ρ)))^ρ for i = 1…N, so σ_1 = ε and σ_N = T.
 */
public final class KarrasGrid {
    /** ρ = 7, as in EDM and the paper. */
    public static final double RHO = 7.0;

    private KarrasGrid() {
    }

    /**
     * @param n the number of grid points N ≥ 2
     * @param sigmaMin ε
     * @param sigmaMax T
     * @param rho ρ
     * @return the ascending grid σ_1 = ε … σ_N = T
     */
    public static double[] ascending(int n, double sigmaMin, double sigmaMax, double rho) {
        if (n < 2) {
            throw new IllegalArgumentException("a Karras grid needs at least 2 points, got " + n);
        }
        double lo = Math.pow(sigmaMin, 1.0 / rho);
        double hi = Math.pow(sigmaMax, 1.0 / rho);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.pow(lo + (double) i / (n - 1) * (hi - lo), rho);
        }
        s[0] = sigmaMin;
        s[n - 1] = sigmaMax;
        return s;
    }

    /** @return {@link #ascending(int, double, double, double)} with ρ = 7 and the parameterisation's ε, T */
    public static double[] ascending(int n, Parameterization p) {
        return ascending(n, p.sigmaMin(), p.sigmaMax(), RHO);
    }
}
