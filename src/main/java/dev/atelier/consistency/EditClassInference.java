package dev.atelier.consistency;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;

/**
 * Infers the class an edit should draw with from what the edit keeps, so that the fill belongs to the kept
 * part (a random class asks the model to draw another garment into the hole). Two ways:
 * <ul>
 *   <li>{@link #byClassifier}: a classifier (the one shipped in the model's {@code classifier/} directory)
 *       applied to the kept part shown as an image — {@link #view}: the hole filled with the mean of the kept
 *       pixels, the patch means for super-resolution, the noisy input for denoising. The model's
 *       {@code kept-classifier/} is trained on exactly such views ({@code atelier eval-edit --fit-classifier});
 *       without one, the evaluation classifier in {@code classifier/} is used;</li>
 *   <li>{@link #byConsistency}: the model itself — the kept part is noised to σ and denoised once per class
 *       (one shared noise draw); the class whose estimate agrees best with the kept part wins.</li>
 * </ul>
 * {@code atelier eval-edit --class-from classifier|consistency} measures both (docs/BENCHMARKS.md); editing uses
 * the classifier when the model has one and the model's consistency otherwise.
 */
public final class EditClassInference {
    /** The noise level of {@link #byConsistency}: high enough to wash out class detail, low enough to keep shape. */
    public static final double CONSISTENCY_SIGMA = 1.0;
    /** Noise draws averaged per class in {@link #byConsistency}. */
    public static final int CONSISTENCY_DRAWS = 2;

    /** A classifier of images. */
    @FunctionalInterface
    public interface Scorer {
        /**
         * @param images count·C·H·W values in [−1, 1]
         * @return count·classes probabilities
         */
        float[] probs(float[] images, int count);
    }

    /**
     * A detected class, as the report, the JSON and the PNG's parameters show it
     * ({@code {"class":9,"name":"Ankle boot","confidence":0.93,"method":"classifier"}}).
     *
     * @param label the class index
     * @param name the class name from the manifest, or null
     * @param confidence the winner's probability (classifier), or its share of exp(−error / least error) over the
     *     classes (consistency: a relative figure, not a calibrated probability)
     * @param method "classifier" or "consistency"
     */
    @JsonPropertyOrder({"class", "name", "confidence", "method"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detected(@JsonProperty("class") int label, String name, double confidence, String method) {
        /** @return this with the class's name from {@code names} (null: none) and the confidence to 4 decimals */
        public Detected named(java.util.List<String> names) {
            return new Detected(label, names != null && label < names.size() ? names.get(label) : null,
                    Math.round(confidence * 1e4) / 1e4, method);
        }

        /** @return "Ankle boot, 0.93 (classifier)" */
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s, %.2f (%s)", name != null ? name : "class " + label,
                    confidence, method);
        }
    }

    private EditClassInference() {
    }

    /**
     * The kept part of an edit as an image a classifier can read.
     *
     * @param image the input, C·H·W
     * @param known the edit's known part (inpaint mask, patch means), or null for the whole input
     * @return a new C·H·W array (a noisy input is clamped to [−1, 1])
     */
    public static float[] view(float[] image, KnownPart known) {
        float[] v = image.clone();
        if (known instanceof InpaintMask mask) {
            mask.meanFill(v, 0);
        } else if (known != null) {
            known.keepKnown(v, 0);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(-1f, Math.min(1f, v[i]));
        }
        return v;
    }

    /**
     * The class an edit uses when none is given: by the classifier when there is one, else by the model's own
     * consistency.
     *
     * @param classifier the model's classifier, or null
     * @param known the edit's known part (see {@link ConsistencyEngine#knownPart}), or null
     * @return the detected class, or null when there is nothing to infer (an unconditional model, or interpolate)
     */
    public static Detected infer(ConsistencyModel model, Scorer classifier, EditTask task, float[] image,
            KnownPart known, long seed) {
        if (model.numClasses() == 0 || !task.needsImage()) {
            return null;
        }
        if (classifier != null) {
            return byClassifier(classifier, view(image, known), model.numClasses());
        }
        return byConsistency(model, image, known, seed);
    }

    /** @return the classifier's most probable class for {@code view} and its probability */
    public static Detected byClassifier(Scorer classifier, float[] view, int numClasses) {
        float[] p = classifier.probs(view, 1);
        int best = 0;
        for (int k = 1; k < Math.min(numClasses, p.length); k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return new Detected(best, null, p[best], "classifier");
    }

    /**
     * Asks the model which class explains the kept part best: x = y_kept + σ·z, x₀(c) = f(x, σ, c) for every class
     * c, error(c) = ‖A⁻¹[(A x₀(c))⊙(1−Ω)] − y_kept‖² summed over {@link #CONSISTENCY_DRAWS} draws; the least
     * error wins. One batched model call of classes × draws images.
     *
     * @param model a class-conditional model
     * @param image the input, C·H·W (for denoising, the noisy input: its noise adds to σ)
     * @param known the known part, or null when the whole input is kept
     * @param seed the noise seed
     */
    public static Detected byConsistency(ConsistencyModel model, float[] image, KnownPart known, long seed) {
        int classes = model.numClasses();
        if (classes == 0) {
            throw new IllegalArgumentException("class inference needs a class-conditional model");
        }
        int n = image.length;
        float[] kept = image.clone();
        if (known != null) {
            known.keepKnown(kept, 0);
        }
        int batch = classes * CONSISTENCY_DRAWS;
        float[] x = new float[batch * n];
        int[] labels = new int[batch];
        float[] sigma = new float[batch];
        Arrays.fill(sigma, (float) CONSISTENCY_SIGMA);
        float[] z = new float[n];
        NoiseSource noise = NoiseSource.gaussian(seed);
        for (int d = 0; d < CONSISTENCY_DRAWS; d++) {
            noise.fill(z, 0, n);
            for (int c = 0; c < classes; c++) {
                int b = d * classes + c;
                labels[b] = c;
                for (int i = 0; i < n; i++) {
                    x[b * n + i] = (float) (kept[i] + CONSISTENCY_SIGMA * z[i]);
                }
            }
        }
        float[] x0 = model.denoise(x, sigma, labels);
        double[] err = new double[classes];
        for (int b = 0; b < batch; b++) {
            float[] est = Arrays.copyOfRange(x0, b * n, (b + 1) * n);
            for (int i = 0; i < n; i++) {
                est[i] = Math.max(-1f, Math.min(1f, est[i]));
            }
            if (known != null) {
                known.keepKnown(est, 0);
            }
            double e = 0;
            for (int i = 0; i < n; i++) {
                double r = est[i] - kept[i];
                e += r * r;
            }
            err[labels[b]] += e;
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (err[c] < err[best]) {
                best = c;
            }
        }
        double least = Math.max(err[best], 1e-12);
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(-(err[c] - err[best]) / least);
        }
        return new Detected(best, null, 1.0 / sum, "consistency");
    }
}
