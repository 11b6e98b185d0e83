package dev.atelier.consistency.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.network.UNetConsistencyModel;
import dev.atelier.train.RandomStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** CT on a 2-D mixture of four Gaussians: one-step samples must match the data's mean and covariance. */
class ConsistencyTrainingToyTest {
    static final double[][] MEANS = {{0.5, 0.5}, {-0.5, 0.5}, {0.5, -0.5}, {-0.5, -0.5}};
    static final double STD = 0.1;

    /** One-step samples f(T·z, T) of a network. */
    static float[] oneStep(Mlp net, Parameterization p, int count, long seed) {
        float[] z = new float[count * 2];
        new RandomStream(seed).fillGaussian(z);
        float[] sigma = new float[count];
        for (int i = 0; i < count; i++) {
            sigma[i] = (float) p.sigmaMax();
        }
        for (int i = 0; i < z.length; i++) {
            z[i] *= (float) p.sigmaMax();
        }
        try (NDManager m = net.parameters().values().iterator().next().getManager().newSubManager()) {
            NDArray x = m.create(z, new Shape(count, 2));
            return UNetConsistencyModel.apply(net, p, x, sigma, null).toFloatArray();
        }
    }

    /** @return max deviation of mean and covariance from the mixture's (0, diag(0.26)), relative to 0.26 */
    static double momentError(float[] s) {
        int n = s.length / 2;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += s[2 * i];
            my += s[2 * i + 1];
        }
        mx /= n;
        my /= n;
        double cxx = 0;
        double cyy = 0;
        double cxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = s[2 * i] - mx;
            double dy = s[2 * i + 1] - my;
            cxx += dx * dx;
            cyy += dy * dy;
            cxy += dx * dy;
        }
        cxx /= n - 1;
        cyy /= n - 1;
        cxy /= n - 1;
        double var = 0.25 + STD * STD;
        double err = Math.max(Math.abs(mx), Math.abs(my)) / Math.sqrt(var);
        err = Math.max(err, Math.abs(cxx - var) / var);
        err = Math.max(err, Math.abs(cyy - var) / var);
        err = Math.max(err, Math.abs(cxy) / var);
        System.out.printf("mean (%.3f, %.3f) cov [[%.3f, %.3f], [%.3f, %.3f]] → error %.3f%n", mx, my, cxx, cxy, cxy,
                cyy, err);
        return err;
    }

    /** @return the share of 2-D samples within 0.25 of one of the four means */
    static double nearModeShare(float[] s) {
        int n = s.length / 2;
        int near = 0;
        for (int i = 0; i < n; i++) {
            for (double[] m : MEANS) {
                if (Math.hypot(s[2 * i] - m[0], s[2 * i + 1] - m[1]) < 0.25) {
                    near++;
                    break;
                }
            }
        }
        System.out.printf("share near a mode: %.3f%n", (double) near / n);
        return (double) near / n;
    }

    @Test
    void ctMatchesMeanAndCovarianceOfFourGaussians() {
        Parameterization p = Parameterization.DEFAULT;
        int steps = 800;
        // CT (Algorithm 3) with a short curriculum (N from 2 to 11), μ0 = 0.5 and the L1 metric: enough for the
        // MLP to learn the four modes in a few seconds
        TrainConfig cfg = new TrainConfig(Recipe.CT, steps, 256, 1e-2, 0, 2, 10, 0.5, 0.999, -1.1, 2.0, "l1", 0, 0,
                18, true, 7);
        try (NDManager manager = NDManager.newBaseManager();
             Mlp online = Mlp.create(manager, 2, 64, 1);
             Mlp ema = Mlp.create(manager, 2, 64, 1)) {
            double untrained = momentError(oneStep(online, p, 4000, 99));
            try (ConsistencyTrainer t = new ConsistencyTrainer(cfg, p, online, ema, ToySources.mixture(MEANS, STD, 3),
                    null, manager, true)) {
                for (int k = 0; k < steps; k++) {
                    t.trainStep();
                }
            }
            float[] samples = oneStep(ema, p, 4000, 99);
            double trained = momentError(samples);
            assertTrue(untrained > 0.5, "an untrained model must fail the check, error " + untrained);
            assertTrue(trained < 0.2, "one-step samples' moments off by " + trained);
            double near = nearModeShare(samples);
            assertTrue(near > 0.6, "only " + near + " of the samples lie within 0.25 of a mode");
            assertTrue(nearModeShare(oneStep(online, p, 4000, 99)) > 0.6);
        }
    }
    @Test
    void aBatchWithANanIsSkippedWithoutTouchingTheWeights() {
        Parameterization p = Parameterization.DEFAULT;
        TrainConfig cfg = new TrainConfig(Recipe.CT, 10, 32, 1e-2, 0, 2, 10, 0.5, 0.999, -1.1, 2.0, "l1", 0, 0,
                18, true, 7);
        BatchSource clean = ToySources.mixture(MEANS, STD, 3);
        int[] calls = {0};
        BatchSource poisoned = new BatchSource() {
            @Override public int exampleSize() { return clean.exampleSize(); }
            @Override public long[] exampleShape() { return clean.exampleShape(); }
            @Override public int numClasses() { return 0; }
            @Override public void save(dev.atelier.train.Checkpoint c) { clean.save(c); }
            @Override public void restore(dev.atelier.train.Checkpoint c) { clean.restore(c); }

            @Override
            public void next(float[] x, int[] labels) {
                clean.next(x, labels);
                if (++calls[0] == 3) {
                    x[5] = Float.NaN;
                }
            }
        };
        try (NDManager manager = NDManager.newBaseManager();
             Mlp online = Mlp.create(manager, 2, 16, 1);
             Mlp ema = Mlp.create(manager, 2, 16, 1);
             ConsistencyTrainer t = new ConsistencyTrainer(cfg, p, online, ema, poisoned, null, manager, true)) {
            assertTrue(Double.isFinite(t.trainStep()));
            assertTrue(Double.isFinite(t.trainStep()));
            float[][] before = {weights(online), weights(ema)};
            assertTrue(Double.isNaN(t.trainStep()), "the poisoned step reports no loss");
            assertEquals(3, t.step(), "the skipped step still counts");
            assertArrayEquals(before[0], weights(online));
            assertArrayEquals(before[1], weights(ema));
            assertTrue(Double.isFinite(t.trainStep()), "the next batch trains again");
            assertFalse(Arrays.equals(before[0], weights(online)));
            for (float v : weights(online)) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /** Every parameter of a network, concatenated. */
    static float[] weights(Mlp net) {
        float[][] parts = net.parameters().values().stream().map(NDArray::toFloatArray).toArray(float[][]::new);
        int n = Arrays.stream(parts).mapToInt(a -> a.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }
}
