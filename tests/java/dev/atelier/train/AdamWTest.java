package dev.atelier.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against updates computed by hand in double precision, on any thread, and its save/restore. */
class AdamWTest {
    static final double LR = 0.1;
    static final double B1 = 0.9;
    static final double B2 = 0.999;
    static final double EPS = 1e-8;
    static final double WD = 0.01;
    /** Gradients of the three steps: the loss is Σ g_t·p, so ∂L/∂p = g_t exactly. */
    static final float[][] GRADS = {{0.5f, -1f, 2f}, {0.1f, 0.3f, -2f}, {-0.4f, 0f, 1f}};

    static void backward(Map<String, NDArray> params, float[] g) {
        NDArray p = params.get("p");
        try (NDManager m = p.getManager().newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(p.mul(m.create(g)).sum());
        }
    }

    /** The textbook AdamW update, one parameter vector, in double. */
    static double[] expected(double[] p, int steps) {
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = GRADS[t - 1][i];
                m[i] = B1 * m[i] + (1 - B1) * g;
                v[i] = B2 * v[i] + (1 - B2) * g * g;
                double mh = m[i] / (1 - Math.pow(B1, t));
                double vh = v[i] / (1 - Math.pow(B2, t));
                p[i] = p[i] * (1 - LR * WD) - LR * mh / (Math.sqrt(vh) + EPS);
            }
        }
        return p;
    }

    /** Runs {@code body} on a new thread, where PyTorch's grad mode is on (DJL turns it off only on its own). */
    private static void onAFreshThread(Runnable body) throws InterruptedException {
        Engine.getInstance(); // the engine starts here if it has not yet, so the new thread is never its own
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("failed on a thread other than the engine's", failure[0]);
        }
    }

    @Test
    void updatesOnAnyThread() throws InterruptedException {
        onAFreshThread(this::matchesHandComputedUpdates);
    }

    @Test
    void matchesHandComputedUpdates() {
        try (NDManager manager = NDManager.newBaseManager();
             AdamW adam = new AdamW(manager, B1, B2, EPS, WD)) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("p", manager.create(new float[] {1f, -2f, 0.5f}));
            params.get("p").setRequiresGradient(true);
            for (int t = 0; t < 3; t++) {
                backward(params, GRADS[t]);
                adam.update(params, LR);
            }
            double[] want = expected(new double[] {1, -2, 0.5}, 3);
            float[] got = params.get("p").toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(want[i], got[i], 1e-6, "parameter " + i);
            }
            assertEquals(3, adam.step());
            // the gradients were zeroed after the update
            assertArrayEquals(new float[] {0f, 0f, 0f}, params.get("p").getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void savedAndRestoredStateContinuesIdentically() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> a = new LinkedHashMap<>();
            a.put("p", manager.create(new float[] {1f, -2f, 0.5f}));
            a.get("p").setRequiresGradient(true);
            Checkpoint c = new Checkpoint();
            try (AdamW adam = new AdamW(manager, B1, B2, EPS, WD)) {
                backward(a, GRADS[0]);
                adam.update(a, LR);
                adam.save(c, "opt");
                c.putAll("w/", a);
                for (int t = 1; t < 3; t++) {
                    backward(a, GRADS[t]);
                    adam.update(a, LR);
                }
            }
            Map<String, NDArray> b = new LinkedHashMap<>();
            b.put("p", c.require("w/p").toNDArray(manager));
            b.get("p").setRequiresGradient(true);
            try (AdamW adam = new AdamW(manager, B1, B2, EPS, WD)) {
                adam.restore(c, "opt");
                assertEquals(1, adam.step());
                for (int t = 1; t < 3; t++) {
                    backward(b, GRADS[t]);
                    adam.update(b, LR);
                }
            }
            assertArrayEquals(a.get("p").toFloatArray(), b.get("p").toFloatArray());
        }
    }
}
