package dev.atelier.consistency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sampling and editing against the exact oracle (no engine needed). */
class ConsistencySamplerTest {
    static final int SIZE = 16;
    static final int COUNT = 64;

    static double[] moments(float[] v, int from, int to, int stride, int block) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int start = from; start < v.length; start += stride) {
            for (int i = start; i < start + block && i < start + (to - from); i++) {
                sum += v[i];
                sq += (double) v[i] * v[i];
                n++;
            }
        }
        double mean = sum / n;
        return new double[] {mean, sq / n - mean * mean, n};
    }

    /** Asserts the sample moments of {@code values} (all of them) match the exact ones within 5 standard errors. */
    static void assertMoments(double[] exact, double[] got, String what) {
        double n = got[2];
        double sd = Math.sqrt(exact[1]);
        assertEquals(exact[0], got[0], 5 * sd / Math.sqrt(n), what + " mean");
        assertEquals(sd, Math.sqrt(got[1]), 5 * sd / Math.sqrt(2 * n), what + " std");
    }

    static SampleRequest request(long seed, int count, double... sigmas) {
        return new SampleRequest("oracle", seed, count, java.util.Arrays.stream(sigmas).boxed().toList(), null);
    }

    @Test
    void oneStepSamplesHaveTheExactMeanAndStd() {
        // T = 80: mean μ(1 − r(T)) and std T·r(T); T = 1 makes the start's effect (mean ≠ μ) large enough to see.
        for (double t : new double[] {80.0, 1.0}) {
            OracleModel m = new OracleModel(new double[] {0.1}, 0.15, SIZE, t);
            float[] x = new ConsistencyEngine(m).sample(request(11, COUNT, t), null);
            double r = m.ratio(t);
            double[] exact = {0.1 * (1 - r), t * t * r * r};
            assertMoments(exact, moments(x, 0, x.length, x.length, x.length), "T=" + t);
            if (t == 1.0) {
                assertTrue(Math.abs(moments(x, 0, x.length, x.length, x.length)[0] - 0.1) > 0.005,
                        "the sample mean must show the start T·z, not N(μ, s²+T²)");
            }
        }
    }

    @Test
    void multistepSamplesHaveTheExactMeanAndStd() {
        // {80, 2, 2, 0.5}: a repeated level re-noises and denoises again (resampling), exact moments all the same
        double[][] schedules = {{80.0, 0.8}, {80.0, 0.8, 0.2}, {1.0, 0.5, 0.1}, {80.0, 2.0, 2.0, 0.5}};
        for (double[] sig : schedules) {
            OracleModel m = new OracleModel(new double[] {-0.2}, 0.15, SIZE, sig[0]);
            float[] x = new ConsistencyEngine(m).sample(request(5, COUNT, sig), null);
            assertEquals(sig.length, m.calls);
            double[] exact = m.exactMoments(-0.2, 0.0, sig);
            assertMoments(exact, moments(x, 0, x.length, x.length, x.length), java.util.Arrays.toString(sig));
        }
    }

    @Test
    void sameSeedIsIdenticalAndImageIDoesNotDependOnTheBatch() {
        OracleModel m = new OracleModel(new double[] {0.0}, 0.2, 8, 80);
        ConsistencyEngine e = new ConsistencyEngine(m);
        float[] a = e.sample(request(42, 5, 80, 0.8), null);
        float[] b = e.sample(request(42, 5, 80, 0.8), null);
        assertArrayEquals(a, b);
        float[] two = e.sample(request(42, 2, 80, 0.8), null);
        int n = 64;
        assertArrayEquals(java.util.Arrays.copyOf(a, 2 * n), two);
        float[] shifted = e.sample(request(43, 1, 80, 0.8), null);
        assertArrayEquals(java.util.Arrays.copyOfRange(a, n, 2 * n), shifted, "image 1 of seed 42 = image 0 of seed 43");
        assertNotEquals(a[0], a[n]);
    }

    @Test
    void aListenerSeesEachStepsEstimateAndCanStopTheRun() {
        OracleModel m = new OracleModel(new double[] {0.0}, 0.2, 4, 80);
        java.util.List<float[]> previews = new java.util.ArrayList<>();
        float[] out = new ConsistencyEngine(m).sample(request(1, 2, 80, 2, 0.5),
                (done, total, current) -> previews.add(current.clone()));
        assertEquals(3, previews.size());
        assertArrayEquals(out, previews.get(2), "the last preview is the result");
        m.calls = 0;
        RuntimeException stop = new RuntimeException("cancelled");
        RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> new ConsistencyEngine(m).sample(request(1, 2, 80, 2, 0.5), (done, total, current) -> {
                    throw stop;
                }));
        assertEquals(stop, thrown);
        assertEquals(1, m.calls, "no evaluation after the listener threw");
    }

    static float[] pattern(int channels, int size) {
        float[] y = new float[channels * size * size];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (0.8 * Math.sin(i * 0.37) * Math.cos(i * 0.11));
        }
        return y;
    }

    static EditRequest edit(String task, long seed, int count, double[] sigmas, Integer patch, Double sigma) {
        return new EditRequest(task, "oracle", seed, count, sigmas.length,
                java.util.Arrays.stream(sigmas).boxed().toList(), null, null, null, null, null, sigma, patch, null, null);
    }

    @Test
    void inpaintingKeepsKnownPixelsBitExactAndSamplesTheMaskedOnes() {
        OracleModel m = new OracleModel(new double[] {0.25}, 0.1, SIZE, 80);
        float[] y = pattern(1, SIZE);
        boolean[] regen = new boolean[SIZE * SIZE];
        for (int i = 0; i < regen.length; i++) {
            regen[i] = (i % SIZE) >= SIZE / 2; // right half regenerated
        }
        double[] sig = {80, 0.8, 0.3};
        float[] x = new ConsistencyEngine(m).edit(edit("inpaint", 3, COUNT, sig, null, null), y, regen, null);
        double sum = 0;
        double sq = 0;
        int n = 0;
        int plane = SIZE * SIZE;
        for (int b = 0; b < COUNT; b++) {
            for (int i = 0; i < plane; i++) {
                float v = x[b * plane + i];
                if (!regen[i]) {
                    assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(v), "known pixel " + i);
                } else {
                    sum += v;
                    sq += (double) v * v;
                    n++;
                }
            }
        }
        double mean = sum / n;
        // Algorithm 4 starts the masked pixels at 0 + σ_1·z, so they follow the plain K-step moments.
        assertMoments(m.exactMoments(0.25, 0.0, sig), new double[] {mean, sq / n - mean * mean, n}, "masked");
    }

    @Test
    void colorizationKeepsLuminanceWithin1e5() {
        OracleModel m = new OracleModel(new double[] {0.1, -0.1, 0.2}, 0.2, 8, 80);
        float[] y = pattern(3, 8);
        float[] x = new ConsistencyEngine(m).edit(edit("colorize", 9, 4, new double[] {80, 0.8}, null, null), y, null, null);
        int plane = 64;
        double maxChroma = 0;
        for (int b = 0; b < 4; b++) {
            for (int i = 0; i < plane; i++) {
                double want = LuminanceKnownPart.luminance(y, 0, plane, i);
                assertEquals(want, LuminanceKnownPart.luminance(x, b * 3 * plane, plane, i), 1e-5);
                maxChroma = Math.max(maxChroma, Math.abs(x[b * 3 * plane + i] - y[i]));
            }
        }
        assertTrue(maxChroma > 0.01, "the chroma was regenerated, not copied");
    }

    @Test
    void superResolutionKeepsPatchMeansWithin1e5() {
        OracleModel m = new OracleModel(new double[] {0.1, 0.0, -0.1}, 0.2, SIZE, 80);
        float[] y = pattern(3, SIZE);
        for (int p : new int[] {2, 4, 8}) {
            float[] x = new ConsistencyEngine(m).edit(edit("superres", 1, 3, new double[] {80, 0.8, 0.2}, p, null),
                    y, null, null);
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 3; c++) {
                    for (int py = 0; py < SIZE / p; py++) {
                        for (int px = 0; px < SIZE / p; px++) {
                            assertEquals(PatchMeanKnownPart.patchMean(y, 0, SIZE, p, c, px, py),
                                    PatchMeanKnownPart.patchMean(x, b * 3 * SIZE * SIZE, SIZE, p, c, px, py), 1e-5);
                        }
                    }
                }
            }
        }
    }

    @Test
    void denoisingIsOneExactEvaluation() {
        OracleModel m = new OracleModel(new double[] {0.3}, 0.1, 4, 80);
        float[] y = pattern(1, 4);
        float[] x = new ConsistencyEngine(m).edit(edit("denoise", 0, 1, new double[] {0.5}, null, 0.5), y, null, null);
        double r = Math.sqrt(0.01 + 0.002 * 0.002) / Math.sqrt(0.01 + 0.25);
        for (int i = 0; i < y.length; i++) {
            assertEquals(Math.max(-1, Math.min(1, 0.3 + (y[i] - 0.3) * r)), x[i], 1e-6);
        }
    }

    @Test
    void strokeEditingStartsFromTheNoisedStrokes() {
        OracleModel m = new OracleModel(new double[] {0.0}, 0.1, SIZE, 80);
        float[] y = new float[SIZE * SIZE];
        java.util.Arrays.fill(y, 0.4f);
        double[] sig = ConsistencyEngine.STROKE_SIGMAS;
        float[] x = new ConsistencyEngine(m).edit(edit("stroke", 2, COUNT, sig, null, null), y, null, null);
        assertMoments(m.exactMoments(0.0, 0.4, sig), moments(x, 0, x.length, x.length, x.length), "stroke");
    }

    @Test
    void interpolationEndsAreTheTwoSeedsSamples() {
        OracleModel m = new OracleModel(new double[] {0.0}, 0.2, 8, 80);
        ConsistencyEngine e = new ConsistencyEngine(m);
        double[] sig = {80, 0.8};
        EditRequest r = new EditRequest("interpolate", "oracle", 0, 5, 2, List.of(80.0, 0.8), null, null, null, null,
                null, null, null, 100L, 200L);
        float[] frames = e.edit(r, null, null, null);
        int n = 64;
        assertArrayEquals(e.sample(request(100, 1, sig), null), java.util.Arrays.copyOf(frames, n));
        assertArrayEquals(e.sample(request(200, 1, sig), null), java.util.Arrays.copyOfRange(frames, 4 * n, 5 * n));
        // Slerp keeps the noise norm: the middle frame's start noise has the norm of a Gaussian vector.
        float[] z = new float[4096];
        NoiseSource.slerp(1, 2, 0.5).fill(z, 0, z.length);
        double norm = 0;
        for (float v : z) {
            norm += v * v;
        }
        assertEquals(Math.sqrt(4096), Math.sqrt(norm), 0.05 * Math.sqrt(4096));
    }

    /** Large requests run in chunks of at most CHUNK images per f call; image i and the put-back are unchanged. */
    @Test
    void largeEditsRunInChunksWithTheSameImages() {
        OracleModel oracle = new OracleModel(new double[] {0.25}, 0.1, SIZE, 80);
        int[] largestBatch = {0};
        ConsistencyModel m = new ConsistencyModel() {
            @Override
            public int size() {
                return oracle.size();
            }

            @Override
            public int channels() {
                return oracle.channels();
            }

            @Override
            public int numClasses() {
                return oracle.numClasses();
            }

            @Override
            public Parameterization parameterization() {
                return oracle.parameterization();
            }

            @Override
            public float[] denoise(float[] x, float[] sigma, int[] labels) {
                largestBatch[0] = Math.max(largestBatch[0], sigma.length);
                return oracle.denoise(x, sigma, labels);
            }
        };
        ConsistencyEngine e = new ConsistencyEngine(m);
        int count = ConsistencyEngine.CHUNK + 6;
        int plane = SIZE * SIZE;
        float[] y = pattern(1, SIZE);
        boolean[] regen = new boolean[plane];
        for (int i = 0; i < plane; i += 3) {
            regen[i] = true;
        }
        double[] sig = {80, 0.8};
        List<Integer> totals = new ArrayList<>();
        float[][] last = new float[1][];
        float[] all = e.edit(edit("inpaint", 11, count, sig, null, null), y, regen, (done, total, current) -> {
            totals.add(total);
            last[0] = current.clone();
        });
        assertEquals(ConsistencyEngine.CHUNK, largestBatch[0], "no f call takes more than one chunk");
        assertEquals(List.of(4, 4, 4, 4), totals, "two chunks of two evaluations, counted as one run");
        assertArrayEquals(all, last[0], "the last preview is the whole result");
        for (int i : new int[] {0, ConsistencyEngine.CHUNK - 1, ConsistencyEngine.CHUNK, count - 1}) {
            float[] alone = e.edit(edit("inpaint", 11 + i, 1, sig, null, null), y, regen, null);
            assertArrayEquals(alone, Arrays.copyOfRange(all, i * plane, (i + 1) * plane), "image " + i);
        }
        EditRequest frames = new EditRequest("interpolate", "oracle", 0, count, 2, List.of(80.0, 0.8), null, null,
                null, null, null, null, null, 100L, 200L);
        float[] f = e.edit(frames, null, null, null);
        assertArrayEquals(e.sample(request(200, 1, sig), null), Arrays.copyOfRange(f, (count - 1) * plane,
                count * plane), "the last frame, in the second chunk, is seed B's sample");
    }

    /** The projection forms equal the explicit A⁻¹[(Ay)⊙(1−Ω) + (Ax)⊙Ω] with a completed orthogonal A. */
    @Test
    void projectionsEqualTheExplicitOrthogonalTransforms() {
        java.util.Random rnd = new java.util.Random(3);
        // colorization: one pixel, A = Gram–Schmidt completion of the luma row
        float[] x = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian()};
        float[] y = {0.2f, -0.4f, 0.9f};
        double[][] a = complete(new double[] {0.2989, 0.5870, 0.1140});
        double[] want = explicit(a, y, x);
        float[] got = x.clone();
        new LuminanceKnownPart(1).restore(got, y, 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(want[i], got[i], 1e-6);
        }
        // super-resolution: one 2×2 patch, A = completion of the mean row
        float[] px = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian(),
            (float) rnd.nextGaussian()};
        float[] py = {0.1f, 0.5f, -0.3f, 0.7f};
        double[] wantP = explicit(complete(new double[] {1, 1, 1, 1}), py, px);
        float[] gotP = px.clone();
        new PatchMeanKnownPart(1, 2, 2).restore(gotP, py, 0);
        for (int i = 0; i < 4; i++) {
            assertEquals(wantP[i], gotP[i], 1e-6);
        }
    }

    /** Gram–Schmidt: an orthogonal matrix whose first row is {@code first}/|first|. */
    static double[][] complete(double[] first) {
        int d = first.length;
        double[][] rows = new double[d][];
        java.util.Random rnd = new java.util.Random(7);
        for (int k = 0; k < d; k++) {
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = k == 0 ? first[i] : rnd.nextGaussian();
            }
            for (int j = 0; j < k; j++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += v[i] * rows[j][i];
                }
                for (int i = 0; i < d; i++) {
                    v[i] -= dot * rows[j][i];
                }
            }
            double norm = 0;
            for (double e : v) {
                norm += e * e;
            }
            for (int i = 0; i < d; i++) {
                v[i] /= Math.sqrt(norm);
            }
            rows[k] = v;
        }
        return rows;
    }

    /** Aᵀ[(Ay)⊙(1−Ω) + (Ax)⊙Ω] with Ω = (0, 1, 1, …). */
    static double[] explicit(double[][] a, float[] y, float[] x) {
        int d = a.length;
        double[] mixed = new double[d];
        for (int k = 0; k < d; k++) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += a[k][i] * (k == 0 ? y[i] : x[i]);
            }
            mixed[k] = s;
        }
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                out[i] += a[k][i] * mixed[k];
            }
        }
        return out;
    }
}
