package dev.atelier.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.atelier.AtelierException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The skip-a-bad-step guard, on gradients worked out by hand. */
class StepGuardTest {
    NDManager manager;
    NDArray w;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        w = manager.create(new float[] {0f, 4f});
        w.setRequiresGradient(true);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Backpropagates loss(w) and returns the loss's value. */
    double backward(Function<NDArray, NDArray> loss) {
        try (NDManager m = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.apply(w);
            gc.backward(l);
            return l.getFloat();
        }
    }

    /** L = 3·w₀ + 5·w₁ (gradient (3, 5)). */
    double finite() {
        return backward(p -> p.mul(p.getManager().create(new float[] {3f, 5f})).sum());
    }

    /** L = √w₀ + √w₁ = 2 at w = (0, 4): a finite loss whose gradient 1/(2√w) is (∞, 0.25). */
    double infiniteGradient() {
        return backward(p -> p.sqrt().sum());
    }

    /** L = NaN·w₀ + w₁: the loss and the first gradient are NaN. */
    double nanLoss() {
        return backward(p -> p.mul(p.getManager().create(new float[] {Float.NaN, 1f})).sum());
    }

    float[] gradient() {
        try (NDArray g = w.getGradient()) {
            return g.toFloatArray();
        }
    }

    @Test
    void aFiniteStepIsAdmittedWithItsGradientsUntouched() {
        StepGuard guard = new StepGuard("Lower {lr}.");
        double loss = finite();
        assertEquals(20, loss, 1e-6);
        assertTrue(guard.admit(1, loss, List.of(w)));
        assertArrayEquals(new float[] {3f, 5f}, gradient());
        assertEquals(0, guard.skipped());
    }

    @Test
    void aNonFiniteLossOrGradientIsSkippedAndItsGradientsCleared() {
        StepGuard guard = new StepGuard("Lower {lr}.");
        double loss = infiniteGradient();
        assertEquals(2, loss, 1e-6, "the loss itself is finite");
        assertEquals(Float.POSITIVE_INFINITY, gradient()[0]);
        assertFalse(guard.admit(1, loss, List.of(w)));
        assertArrayEquals(new float[] {0f, 0f}, gradient());
        // the next backward starts from zero, not from the cleared infinity
        assertTrue(guard.admit(2, finite(), List.of(w)));
        assertArrayEquals(new float[] {3f, 5f}, gradient());
        double nan = nanLoss();
        assertTrue(Double.isNaN(nan));
        assertFalse(guard.admit(3, nan, List.of(w)));
        assertArrayEquals(new float[] {0f, 0f}, gradient());
        assertEquals(2, guard.skipped());
    }

    @Test
    void onlyLimitBadStepsInARowStopTheRun() {
        StepGuard guard = new StepGuard("Lower {lr} and resume.");
        long step = 0;
        for (int i = 0; i < StepGuard.LIMIT - 1; i++) {
            assertFalse(guard.admit(++step, nanLoss(), List.of(w)));
        }
        assertTrue(guard.admit(++step, finite(), List.of(w)), "a good step ends the streak");
        for (int i = 0; i < StepGuard.LIMIT - 1; i++) {
            assertFalse(guard.admit(++step, infiniteGradient(), List.of(w)));
        }
        long last = ++step;
        double loss = nanLoss();
        AtelierException e = assertThrows(AtelierException.class, () -> guard.admit(last, loss, List.of(w)));
        assertEquals("lr", e.field());
        long first = last - StepGuard.LIMIT + 1;
        assertTrue(e.getMessage().contains("at " + StepGuard.LIMIT + " steps in a row (" + first + " to " + last),
                e.getMessage());
        assertEquals(2L * StepGuard.LIMIT - 1, guard.skipped());
    }
}
