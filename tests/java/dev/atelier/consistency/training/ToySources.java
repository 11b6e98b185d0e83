package dev.atelier.consistency.training;

import dev.atelier.train.Checkpoint;
import dev.atelier.train.RandomStream;

/** Synthetic batch sources drawn from a random stream (state saved for resume tests). */
final class ToySources {
    private ToySources() {
    }

    /** A mixture of equally weighted isotropic Gaussians in {@code dim} dimensions. */
    static BatchSource mixture(double[][] means, double std, long seed) {
        RandomStream r = new RandomStream(seed);
        int dim = means[0].length;
        return new BatchSource() {
            @Override
            public int exampleSize() {
                return dim;
            }

            @Override
            public long[] exampleShape() {
                return new long[] {dim};
            }

            @Override
            public int numClasses() {
                return 0;
            }

            @Override
            public void next(float[] x, int[] labels) {
                for (int i = 0; i < x.length / dim; i++) {
                    double[] m = means[r.nextInt(means.length)];
                    for (int j = 0; j < dim; j++) {
                        x[i * dim + j] = (float) (m[j] + std * r.nextGaussian());
                    }
                }
            }

            @Override
            public void save(Checkpoint c) {
                c.putRandom("toy", r);
            }

            @Override
            public void restore(Checkpoint c) {
                c.restoreRandom("toy", r);
            }
        };
    }
}
