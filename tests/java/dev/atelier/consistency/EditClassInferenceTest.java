package dev.atelier.consistency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Class inference for editing against a class-conditional oracle whose classes are known: class c's pixels are
 * N(μ_c, s²) independently, so f(x, t, c) = μ_c + (x − μ_c)·√(s²+ε²)/√(s²+t²) exactly. The three class means differ
 * on every half of the image and on the 2×2 patch means, so the kept part of an image drawn from class c names c.
 */
class EditClassInferenceTest {
    static final int SIZE = 8;
    static final double S = 0.1;

    /** μ_c per pixel: class 0 bright top half, class 1 bright left half, class 2 dark everywhere. */
    static float mean(int c, int i) {
        int x = i % SIZE;
        int y = i / SIZE;
        boolean bright = c == 0 ? y < SIZE / 2 : c == 1 && x < SIZE / 2;
        return bright ? 0.6f : -0.6f;
    }

    /** The exact consistency function of the three-class data; label −1 (no class) uses the mean of the means. */
    static final class ClassOracle implements ConsistencyModel {
        final Parameterization p = Parameterization.DEFAULT;
        int calls;

        @Override
        public int size() {
            return SIZE;
        }

        @Override
        public int channels() {
            return 1;
        }

        @Override
        public int numClasses() {
            return 3;
        }

        @Override
        public boolean hasNullClass() {
            return true;
        }

        @Override
        public Parameterization parameterization() {
            return p;
        }

        @Override
        public float[] denoise(float[] x, float[] sigma, int[] labels) {
            calls++;
            int n = SIZE * SIZE;
            float[] out = new float[x.length];
            for (int b = 0; b < sigma.length; b++) {
                double r = Math.sqrt(S * S + 0.002 * 0.002) / Math.sqrt(S * S + sigma[b] * sigma[b]);
                for (int i = 0; i < n; i++) {
                    double mu = labels[b] < 0 ? (mean(0, i) + mean(1, i) + mean(2, i)) / 3 : mean(labels[b], i);
                    out[b * n + i] = (float) (mu + (x[b * n + i] - mu) * r);
                }
            }
            return out;
        }
    }

    static float[] draw(int c, long seed) {
        Random r = new Random(seed);
        float[] v = new float[SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean(c, i) + S * r.nextGaussian());
        }
        return v;
    }

    static boolean[] mask(boolean right) {
        boolean[] m = new boolean[SIZE * SIZE];
        for (int i = 0; i < m.length; i++) {
            m[i] = right ? i % SIZE >= SIZE / 2 : i / SIZE >= SIZE / 2;
        }
        return m;
    }

    @Test
    void theModelsOwnConsistencyNamesTheClassOfTheKeptPart() {
        ClassOracle model = new ClassOracle();
        KnownPart[] parts = {new InpaintMask(mask(true), 1), new InpaintMask(mask(false), 1),
            new PatchMeanKnownPart(1, SIZE, 2), null};
        for (int c = 0; c < 3; c++) {
            for (KnownPart known : parts) {
                float[] image = draw(c, 10 + c);
                model.calls = 0;
                EditClassInference.Detected d = EditClassInference.byConsistency(model, image, known, 7);
                assertEquals(c, d.label(), "class " + c + " with " + known);
                assertEquals("consistency", d.method());
                assertTrue(d.confidence() > 1.0 / 3 && d.confidence() <= 1, "confidence " + d.confidence());
                assertEquals(1, model.calls, "one batched model call");
            }
        }
    }

    /** Without a classifier, infer() asks the model; with one, it asks the classifier on the kept view. */
    @Test
    void inferUsesTheClassifierWhenThereIsOneAndNothingForUnconditionalModels() {
        ClassOracle model = new ClassOracle();
        float[] image = draw(1, 3);
        InpaintMask right = new InpaintMask(mask(true), 1);
        assertEquals(1, EditClassInference.infer(model, null, EditTask.INPAINT, image, right, 1).label());
        float[][] seen = new float[1][];
        EditClassInference.Scorer fixed = (x, n) -> {
            seen[0] = x.clone();
            return new float[] {0.1f, 0.2f, 0.7f};
        };
        EditClassInference.Detected d = EditClassInference.infer(model, fixed, EditTask.INPAINT, image, right, 1);
        assertEquals(2, d.label());
        assertEquals(0.7, d.confidence(), 1e-6);
        assertEquals("classifier", d.method());
        float[] expected = image.clone();
        right.meanFill(expected, 0);
        assertArrayEquals(expected, seen[0], "the classifier sees the mean-filled kept part");
        assertNull(EditClassInference.infer(new OracleModel(new double[] {0}, 0.2, SIZE, 80), fixed,
                EditTask.INPAINT, image, right, 1), "an unconditional model has no class to infer");
        assertNull(EditClassInference.infer(model, fixed, EditTask.INTERPOLATE, null, null, 1));
    }

    @Test
    void meanFillUsesTheMeanOfTheKeptPixels() {
        float[] v = {1f, 2f, 3f, 10f};
        new InpaintMask(new boolean[] {false, false, false, true}, 1).meanFill(v, 0);
        assertArrayEquals(new float[] {1f, 2f, 3f, 2f}, v);
        float[] noisy = {1.5f, -2f, 0.25f, 0f};
        assertArrayEquals(new float[] {1f, -1f, 0.25f, 0f}, EditClassInference.view(noisy, null),
                "a noisy input is shown clamped to the data range");
    }

    @Test
    void theNullClassIsSelectableOnlyWhenTheModelHasOne() {
        long[] seeds = {5, 6};
        assertArrayEquals(new int[] {-1, -1}, GenerationRequest.labels(ConsistencyModel.NO_CLASS, 3, true, seeds));
        assertThrows(AtelierException.class, () -> GenerationRequest.labels(ConsistencyModel.NO_CLASS, 3, false, seeds));
        assertThrows(AtelierException.class, () -> GenerationRequest.labels(-2, 3, true, seeds));
        // an edit with the null class draws the fill from the mean of the class means (exact oracle)
        ClassOracle model = new ClassOracle();
        // one step at σ 80: x₀ = μ + (80·z − μ)·r(80), r(80) = 0.1/80, so each filled pixel is μ ± 0.1
        EditRequest r = new EditRequest("inpaint", "oracle", 1, 1, 1, java.util.List.of(80.0), -1, null, null, null,
                null, null, null, null, null);
        float[] out = new ConsistencyEngine(model).edit(r, draw(0, 4), mask(true), null);
        double sum = 0;
        for (int y = 0; y < SIZE / 2; y++) {
            for (int x = SIZE / 2; x < SIZE; x++) {
                sum += out[y * SIZE + x];
            }
        }
        // the top-right quadrant: class 0 would give 0.6, classes 1 and 2 −0.6; no class gives (0.6 − 0.6 − 0.6)/3
        assertEquals(-0.2, sum / 16, 0.1);
    }
}
