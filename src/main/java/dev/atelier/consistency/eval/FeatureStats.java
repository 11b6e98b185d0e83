package dev.atelier.consistency.eval;

import dev.atelier.train.Checkpoint;

/**
 * Mean and covariance of feature vectors (unbiased covariance), accumulated in double.
 *
 * @param mean the mean vector
 * @param covariance the covariance matrix
 * @param count how many vectors went in
 */
public record FeatureStats(double[] mean, double[][] covariance, long count) {
    /**
     * @param features rows of {@code dim} values
     * @param dim feature width
     */
    public static FeatureStats of(float[] features, int dim) {
        int n = features.length / dim;
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += features[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[dim][dim];
        double[] centred = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                centred[j] = features[i * dim + j] - mean[j];
            }
            for (int a = 0; a < dim; a++) {
                double ca = centred[a];
                for (int b = a; b < dim; b++) {
                    cov[a][b] += ca * centred[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a][b] /= Math.max(1, n - 1);
                cov[b][a] = cov[a][b];
            }
        }
        return new FeatureStats(mean, cov, n);
    }

    /** Stores the statistics as tensors {@code NAME.mean}, {@code NAME.cov} and header {@code NAME.count}. */
    public void save(Checkpoint c, String name) {
        int d = mean.length;
        float[] m = new float[d];
        float[] cv = new float[d * d];
        for (int i = 0; i < d; i++) {
            m[i] = (float) mean[i];
            for (int j = 0; j < d; j++) {
                cv[i * d + j] = (float) covariance[i][j];
            }
        }
        c.tensors().put(name + ".mean", new Checkpoint.Tensor(new long[] {d}, m));
        c.tensors().put(name + ".cov", new Checkpoint.Tensor(new long[] {d, d}, cv));
        c.header().put(name + ".count", count);
    }

    /** @return statistics stored by {@link #save(Checkpoint, String)} */
    public static FeatureStats load(Checkpoint c, String name) {
        float[] m = c.require(name + ".mean").data();
        float[] cv = c.require(name + ".cov").data();
        int d = m.length;
        double[] mean = new double[d];
        double[][] cov = new double[d][d];
        for (int i = 0; i < d; i++) {
            mean[i] = m[i];
            for (int j = 0; j < d; j++) {
                cov[i][j] = cv[i * d + j];
            }
        }
        return new FeatureStats(mean, cov, c.header().path(name + ".count").asLong());
    }
}
