package dev.atelier.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Class guidance against the exact consistency function of {@link EditClassInferenceTest.ClassOracle} (three classes
 * of Gaussian pixels, "no class" = the mean of the means): for f(x, σ, c) = μ_c + (x − μ_c)·r(σ), the guided estimate
 * is μ_c + (x − μ_c)·r + w·(μ_c − μ_∅)·(1 − r), computed here by hand.
 */
class GuidedModelTest {
    static final int N = EditClassInferenceTest.SIZE * EditClassInferenceTest.SIZE;

    static double r(double sigma) {
        double s = EditClassInferenceTest.S;
        return Math.sqrt(s * s + 0.002 * 0.002) / Math.sqrt(s * s + sigma * sigma);
    }

    static double muNone(int i) {
        return (EditClassInferenceTest.mean(0, i) + EditClassInferenceTest.mean(1, i) + EditClassInferenceTest.mean(2, i))
                / 3;
    }

    @Test
    void theGuidedEstimateMovesAwayFromNoClassByWInOneCall() {
        EditClassInferenceTest.ClassOracle oracle = new EditClassInferenceTest.ClassOracle();
        double w = 0.7;
        GuidedModel guided = new GuidedModel(oracle, w);
        int[] labels = {0, 1, ConsistencyModel.NO_CLASS, 2};
        float[] sigma = {80f, 2f, 2f, 0.5f};
        float[] x = new float[labels.length * N];
        Random rnd = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (3 * rnd.nextGaussian());
        }
        float[] out = guided.denoise(x.clone(), sigma, labels);
        assertEquals(1, oracle.calls, "both terms come from one batched call");
        for (int b = 0; b < labels.length; b++) {
            double rb = r(sigma[b]);
            for (int i = 0; i < N; i++) {
                double mu = labels[b] < 0 ? muNone(i) : EditClassInferenceTest.mean(labels[b], i);
                double plain = mu + (x[b * N + i] - mu) * rb;
                double expected = labels[b] < 0 ? plain : plain + w * (mu - muNone(i)) * (1 - rb);
                assertEquals(expected, out[b * N + i], 1e-4, "image " + b + " pixel " + i);
            }
        }
    }

    @Test
    void weightZeroAndNoClassAreOnePlainCall() {
        EditClassInferenceTest.ClassOracle oracle = new EditClassInferenceTest.ClassOracle();
        float[] x = new float[2 * N];
        java.util.Arrays.fill(x, 0.25f);
        float[] sigma = {2f, 2f};
        int[] labels = {0, 1};
        float[] plain = oracle.denoise(x.clone(), sigma, labels);
        assertEquals(List.of(toList(plain)), List.of(toList(new GuidedModel(oracle, 0).denoise(x.clone(), sigma, labels))));
        assertEquals(2, oracle.calls, "w = 0 makes one plain call of the same images");
        int[] none = {ConsistencyModel.NO_CLASS, ConsistencyModel.NO_CLASS};
        float[] unguided = oracle.denoise(x.clone(), sigma, none);
        java.util.List<Integer> batches = new java.util.ArrayList<>();
        ConsistencyModel counted = new ConsistencyModel() {
            public int size() {
                return oracle.size();
            }

            public int channels() {
                return 1;
            }

            public int numClasses() {
                return oracle.numClasses();
            }

            public boolean hasNullClass() {
                return true;
            }

            public Parameterization parameterization() {
                return oracle.parameterization();
            }

            public float[] denoise(float[] in, float[] s, int[] y) {
                batches.add(s.length);
                return oracle.denoise(in, s, y);
            }
        };
        assertEquals(toList(unguided), toList(new GuidedModel(counted, 2).denoise(x.clone(), sigma, none)));
        assertEquals(List.of(2), batches, "images asked for no class only: one plain call, not doubled");
    }

    private static List<Float> toList(float[] v) {
        java.util.ArrayList<Float> l = new java.util.ArrayList<>();
        for (float f : v) {
            l.add(f);
        }
        return l;
    }

    @Test
    void weightsOutOfRangeAndModelsWithoutANullClassAreRefusedNamingGuidance() {
        EditClassInferenceTest.ClassOracle oracle = new EditClassInferenceTest.ClassOracle();
        for (double bad : new double[] {-0.1, 10.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            AtelierException e = assertThrows(AtelierException.class, () -> new GuidedModel(oracle, bad));
            assertEquals("guidance", e.field(), "w " + bad);
        }
        OracleModel unconditional = new OracleModel(new double[] {0}, 0.2, 4, 80);
        assertEquals("guidance", assertThrows(AtelierException.class, () -> new GuidedModel(unconditional, 0.3))
                .field());
        new GuidedModel(unconditional, 0); // no guidance: any model
        ConsistencyModel noNull = new ConsistencyModel() {
            public int size() {
                return 4;
            }

            public int channels() {
                return 1;
            }

            public int numClasses() {
                return 3;
            }

            public Parameterization parameterization() {
                return Parameterization.DEFAULT;
            }

            public float[] denoise(float[] x, float[] sigma, int[] labels) {
                return x;
            }
        };
        assertEquals("guidance", assertThrows(AtelierException.class, () -> new GuidedModel(noNull, 1)).field());
    }

    @Test
    void aGuidedSampleIsTheGuidedEstimateAndTheSettingsRoundTrip() {
        EditClassInferenceTest.ClassOracle oracle = new EditClassInferenceTest.ClassOracle();
        SampleRequest r = new SampleRequest("oracle", 11, 3, List.of(80.0), 1, 0.5);
        float[] images = new ConsistencyEngine(oracle).sample(r, null);
        double r80 = r(80);
        for (int b = 0; b < 3; b++) {
            float[] z = new float[N];
            NoiseSource.gaussian(11 + b).fill(z, 0, N);
            for (int i = 0; i < N; i++) {
                double mu = EditClassInferenceTest.mean(1, i);
                double expected = mu + (80 * z[i] - mu) * r80 + 0.5 * (mu - muNone(i)) * (1 - r80);
                assertEquals(Math.max(-1, Math.min(1, expected)), images[b * N + i], 1e-4);
            }
        }
        SampleRequest back = (SampleRequest) GenerationRequest.fromJson(r.toJson());
        assertEquals(0.5, back.guidance());
        // settings written before guidance existed ran without it, and reproduce without it
        String old = "{\"task\":\"sample\",\"model\":\"m\",\"seed\":1,\"count\":1,\"steps\":1,\"sigmas\":[80.0]}";
        GenerationRequest before = GenerationRequest.fromJson(old);
        assertEquals(0.0, before.guidanceWeight());
        assertEquals(0.0, dev.atelier.app.SamplingRequest.of((SampleRequest) before).guidance());
        String refused = assertThrows(AtelierException.class, () -> GenerationRequest.fromJson(
                old.replace("}", ",\"guidance\":-1}"))).getMessage();
        assertTrue(refused.contains("guidance") && refused.contains("-1.0"), refused);
    }
}
