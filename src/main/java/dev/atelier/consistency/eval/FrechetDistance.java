package dev.atelier.consistency.eval;

/**
 * Fréchet distance between two Gaussians fitted to feature vectors:
 * d² = |μ₁ − μ₂|² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½). Tr((Σ₁Σ₂)^½) is the sum of the square roots of the eigenvalues
 * of the symmetric matrix Σ₁^½ Σ₂ Σ₁^½ (same spectrum as Σ₁Σ₂), computed with Jacobi rotations in double.
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /** @return the Fréchet distance d² between N(μ₁, Σ₁) and N(μ₂, Σ₂) */
    public static double between(double[] mean1, double[][] cov1, double[] mean2, double[][] cov2) {
        int n = mean1.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            d += (mean1[i] - mean2[i]) * (mean1[i] - mean2[i]);
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += cov1[i][i] + cov2[i][i];
        }
        double[][] root1 = sqrtPsd(cov1);
        double[][] m = multiply(multiply(root1, cov2), root1);
        double[] eig = eigenvalues(m);
        double sum = 0;
        for (double e : eig) {
            sum += Math.sqrt(Math.max(0, e));
        }
        return Math.max(0, d + trace - 2 * sum);
    }

    /** @return the Fréchet distance between two feature statistics */
    public static double between(FeatureStats a, FeatureStats b) {
        return between(a.mean(), a.covariance(), b.mean(), b.covariance());
    }

    /** @return the symmetric square root of a positive semi-definite matrix (negative eigenvalues clipped) */
    static double[][] sqrtPsd(double[][] a) {
        int n = a.length;
        double[][] v = new double[n][n];
        double[] eig = jacobi(copy(a), v);
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += v[i][k] * Math.sqrt(Math.max(0, eig[k])) * v[j][k];
                }
                r[i][j] = s;
            }
        }
        return r;
    }

    static double[] eigenvalues(double[][] a) {
        return jacobi(copy(a), null);
    }

    /**
     * Cyclic Jacobi eigenvalue iteration for a symmetric matrix (destroyed).
     *
     * @param vectors receives the eigenvectors as columns, or null
     * @return the eigenvalues
     */
    static double[] jacobi(double[][] a, double[][] vectors) {
        int n = a.length;
        // symmetrise against rounding in the inputs
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0.5 * (a[i][j] + a[j][i]);
                a[i][j] = s;
                a[j][i] = s;
            }
        }
        if (vectors != null) {
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(vectors[i], 0);
                vectors[i][i] = 1;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off <= 1e-30 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    if (vectors != null) {
                        for (int k = 0; k < n; k++) {
                            double vkp = vectors[k][p];
                            double vkq = vectors[k][q];
                            vectors[k][p] = c * vkp - s * vkq;
                            vectors[k][q] = s * vkp + c * vkq;
                        }
                    }
                }
            }
        }
        double[] eig = new double[n];
        for (int i = 0; i < n; i++) {
            eig[i] = a[i][i];
        }
        return eig;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        int k = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double x = a[i][l];
                if (x == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    c[i][j] += x * b[l][j];
                }
            }
        }
        return c;
    }
}
