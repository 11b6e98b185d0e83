package dev.atelier.consistency.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.network.UNetConsistencyModel;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * CD against teachers with known answers: the Gaussian denoiser (whose consistency function is analytic) and a
 * two-component 1-D Gaussian mixture (reference map: the PF-ODE integrated finely with Heun).
 */
class ConsistencyDistillationTest {
    static final Parameterization P = Parameterization.DEFAULT;
    static final double[] TIMES = {0.05, 0.2, 0.5, 1, 2, 5, 20, 80};

    /** D(x, σ) of a 1-D mixture of Gaussians, computed exactly on the heap. */
    static double mixtureDenoise(double x, double sigma, double[] means, double std) {
        double v = std * std + sigma * sigma;
        double num = 0;
        double den = 0;
        double maxLog = Double.NEGATIVE_INFINITY;
        double[] logw = new double[means.length];
        for (int k = 0; k < means.length; k++) {
            logw[k] = -(x - means[k]) * (x - means[k]) / (2 * v);
            maxLog = Math.max(maxLog, logw[k]);
        }
        for (int k = 0; k < means.length; k++) {
            double w = Math.exp(logw[k] - maxLog);
            num += w * (means[k] + std * std / v * (x - means[k]));
            den += w;
        }
        return num / den;
    }

    /** The mixture teacher as a {@link Denoiser}. */
    static Denoiser mixtureTeacher(double[] means, double std) {
        return (x, sigma, labels) -> {
            float[] v = x.toFloatArray();
            int per = v.length / sigma.length;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) mixtureDenoise(v[i], sigma[i / per], means, std);
            }
            return x.getManager().create(v, x.getShape());
        };
    }

    /** Solves the PF-ODE dx/dσ = (x − D(x, σ))/σ from t down to ε with many Heun steps on a Karras grid. */
    static double referenceMap(double x, double t, DoubleBinaryOperator denoiser, int steps) {
        double lo = Math.pow(P.sigmaMin(), 1 / 7.0);
        double hi = Math.pow(t, 1 / 7.0);
        double s = t;
        for (int i = 1; i <= steps; i++) {
            double next = Math.pow(hi + (double) i / steps * (lo - hi), 7);
            double d1 = (x - denoiser.applyAsDouble(x, s)) / s;
            double xe = x + (next - s) * d1;
            double d2 = (xe - denoiser.applyAsDouble(xe, next)) / next;
            x = x + (next - s) * 0.5 * (d1 + d2);
            s = next;
        }
        return x;
    }

    /** Trains a 1-D MLP with CD and returns the mean absolute error of f against {@code truth} (EMA and online). */
    static double[] distil(Denoiser teacher, BatchSource data, DoubleBinaryOperator truth, double scale, int steps) {
        TrainConfig cfg = new TrainConfig(Recipe.CD, steps, 256, 5e-3, 0, 18, 18, 0.9, 0.95, -1.1, 2.0, "l2", 0, 0,
                18, true, 11);
        try (NDManager manager = NDManager.newBaseManager();
             Mlp online = Mlp.create(manager, 1, 64, 5);
             Mlp ema = Mlp.create(manager, 1, 64, 5)) {
            double before = error(online, truth, scale);
            try (ConsistencyTrainer t = new ConsistencyTrainer(cfg, P, online, ema, data, teacher, manager, true)) {
                for (int k = 0; k < steps; k++) {
                    t.trainStep();
                }
            }
            double after = error(ema, truth, scale);
            double online1 = error(online, truth, scale);
            System.out.printf("CD: error before %.4f, after %.4f (EMA), %.4f (online)%n", before, after, online1);
            return new double[] {before, after, online1};
        }
    }

    /** Mean |f(x,t) − truth(x,t)| over t ∈ TIMES and x = u·√(scale² + t²), u ∈ [−2, 2]. */
    static double error(Mlp net, DoubleBinaryOperator truth, double scale) {
        int per = 21;
        float[] x = new float[TIMES.length * per];
        float[] sigma = new float[x.length];
        for (int i = 0; i < TIMES.length; i++) {
            for (int j = 0; j < per; j++) {
                double u = -2 + 4.0 * j / (per - 1);
                x[i * per + j] = (float) (u * Math.sqrt(scale * scale + TIMES[i] * TIMES[i]));
                sigma[i * per + j] = (float) TIMES[i];
            }
        }
        float[] f;
        try (NDManager m = net.parameters().values().iterator().next().getManager().newSubManager()) {
            NDArray in = m.create(x, new Shape(x.length, 1));
            f = UNetConsistencyModel.apply(net, P, in, sigma, null).toFloatArray();
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += Math.abs(f[i] - truth.applyAsDouble(x[i], sigma[i]));
        }
        return sum / x.length;
    }

    @Test
    void cdAgainstGaussianTeacherRecoversAnalyticConsistencyFunction() {
        double mu = 0.3;
        double s = 0.2;
        double eps = P.sigmaMin();
        DoubleBinaryOperator exact = (x, t) -> mu + (x - mu) * Math.sqrt(s * s + eps * eps) / Math.sqrt(s * s + t * t);
        double[] e = distil(new GaussianDenoiser(mu, s), ToySources.mixture(new double[][] {{mu}}, s, 21), exact, s,
                1500);
        assertTrue(e[0] > 0.15, "the untrained model should be far from f, error " + e[0]);
        assertTrue(e[1] < 0.04, "CD should recover f(x,t) = μ + (x−μ)√(s²+ε²)/√(s²+t²), mean error " + e[1]);
    }

    @Test
    void cdAgainstMixtureTeacherApproachesFinePfOdeMap() {
        double[] means = {-0.5, 0.5};
        double std = 0.15;
        DoubleBinaryOperator d = (x, sigma) -> mixtureDenoise(x, sigma, means, std);
        DoubleBinaryOperator reference = (x, t) -> referenceMap(x, t, d, 400);
        double[] e = distil(mixtureTeacher(means, std), ToySources.mixture(new double[][] {{-0.5}, {0.5}}, std, 22),
                reference, 0.5, 1500);
        assertTrue(e[0] > 0.2, "the untrained model should be far from the ODE map, error " + e[0]);
        assertTrue(e[1] < 0.06, "CD should approach the fine Heun PF-ODE map, mean error " + e[1]);
    }
}
