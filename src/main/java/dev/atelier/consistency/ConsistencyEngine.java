package dev.atelier.consistency;

import dev.atelier.AtelierException;
import java.util.Arrays;

/**
 * Runs {@link SampleRequest}s and {@link EditRequest}s on a model: builds the per-image noise sources,
 * labels and known parts, and calls the {@link ConsistencySampler}. Pure Java over float arrays; call it
 * on the thread that owns the model.
 */
public final class ConsistencyEngine {
    /** SDEdit's noise levels in the consistency-model paper (stroke-guided editing). */
    public static final double[] STROKE_SIGMAS = {5.38, 2.24};
    /**
     * The most images one f call takes (half as many when guided): larger requests run in chunks of this size, so
     * memory stays bounded
     * (image i is the same either way: its noise comes from its own source).
     */
    public static final int CHUNK = 64;

    private final ConsistencyModel model;

    /** @param model the consistency function */
    public ConsistencyEngine(ConsistencyModel model) {
        this.model = model;
    }

    /** @return the model a request runs on: the model itself, or guided by the request's weight */
    private ConsistencyModel runOn(GenerationRequest r) {
        return r.guidanceWeight() == 0 ? model : new GuidedModel(model, r.guidanceWeight());
    }

    /** @return count·C·H·W values in [−1, 1] */
    public float[] sample(SampleRequest r, ConsistencySampler.StepListener listener) {
        long[] seeds = r.imageSeeds();
        dev.atelier.Limits.checkBatch(seeds.length, (long) model.channels() * model.size() * model.size(),
                "The request");
        int[] labels = GenerationRequest.labels(r.classLabel(), model.numClasses(), model.hasNullClass(), seeds);
        return sample(r.sigmaArray(), seeds, labels, r.guidanceWeight(), listener);
    }

    /**
     * Samples image i from the noise of seed {@code seeds[i]} with class {@code labels[i]}, in chunks as every
     * request is: for evaluations, whose classes (one per image, in turn) are not a {@link SampleRequest}'s.
     *
     * @param guidance the class-guidance weight w, 0 for none
     * @param labels a class per image, or null for an unconditional model
     * @param listener told after each evaluation, or null
     * @return count·C·H·W values in [−1, 1]
     */
    public float[] sample(double[] sigmas, long[] seeds, int[] labels, double guidance,
                          ConsistencySampler.StepListener listener) {
        NoiseSource[] noise = new NoiseSource[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            noise[i] = NoiseSource.gaussian(seeds[i]);
        }
        ConsistencyModel on = guidance == 0 ? model : new GuidedModel(model, guidance);
        return inChunks(on, SigmaSchedule.validate(sigmas, model.parameterization()), noise, labels, null, null, listener);
    }

    /**
     * @param r the edit
     * @param image the input, C·H·W at the model's size in [−1, 1] (null for interpolate)
     * @param regenerate H·W mask flags, true = regenerate (inpaint only)
     * @return count·C·H·W values
     */
    public float[] edit(EditRequest r, float[] image, boolean[] regenerate, ConsistencySampler.StepListener listener) {
        EditTask task = r.editTask();
        int c = model.channels();
        int size = model.size();
        int n = c * size * size;
        long[] seeds = r.imageSeeds();
        int count = seeds.length;
        dev.atelier.Limits.checkBatch(count, n, "The request"); // before the count·n arrays below
        int[] labels = GenerationRequest.labels(r.classLabel(), model.numClasses(), model.hasNullClass(), seeds);
        ConsistencyModel on = runOn(r);
        float[] reference = null;
        if (task.needsImage()) {
            if (image == null || image.length != n) {
                throw new IllegalArgumentException("the " + task.id() + " task needs an image of " + n + " values");
            }
            reference = new float[count * n];
            for (int i = 0; i < count; i++) {
                System.arraycopy(image, 0, reference, i * n, n);
            }
        }
        if (task == EditTask.DENOISE) {
            double sigma = r.sigma();
            Parameterization p = model.parameterization();
            if (!(sigma > p.sigmaMin() && sigma <= p.sigmaMax())) {
                throw AtelierException.field("sigma", "{sigma} " + sigma + " is outside (" + p.sigmaMin() + ", " + p.sigmaMax()
                        + "]. Give the noise level of the input in the model's units (data in [−1, 1]).");
            }
            float[] out = new float[count * n];
            int chunk = chunk(on);
            ConsistencySampler sampler = new ConsistencySampler(on);
            for (int from = 0; from < count; from += chunk) {
                int to = Math.min(count, from + chunk);
                float[] part = sampler.denoise(Arrays.copyOfRange(reference, from * n, to * n), sigma,
                        labels == null ? null : Arrays.copyOfRange(labels, from, to));
                System.arraycopy(part, 0, out, from * n, part.length);
            }
            if (listener != null) {
                listener.step(1, 1, out);
            }
            return out;
        }
        double[] sigmas = SigmaSchedule.validate(r.sigmaArray(), model.parameterization());
        NoiseSource[] noise = new NoiseSource[count];
        for (int i = 0; i < count; i++) {
            noise[i] = task == EditTask.INTERPOLATE
                    ? NoiseSource.slerp(r.seedA(), r.seedB(), count == 1 ? 0.0 : (double) i / (count - 1))
                    : NoiseSource.gaussian(seeds[i]);
        }
        KnownPart known = knownPart(task, regenerate, r.patch());
        return inChunks(on, sigmas, noise, labels, reference, known, listener);
    }

    /**
     * The known part of an edit on this model: the inpainting mask, the luminance (colorize), the patch means
     * (superres); null for stroke (a reference without a known part), interpolate and denoise.
     *
     * @param regenerate H·W flags, true = regenerate (inpaint only)
     * @param patch the patch side (superres only)
     */
    public KnownPart knownPart(EditTask task, boolean[] regenerate, Integer patch) {
        int c = model.channels();
        int size = model.size();
        switch (task) {
            case INPAINT:
                if (regenerate == null || regenerate.length != size * size) {
                    throw new IllegalArgumentException("inpainting needs a mask of " + size * size + " flags");
                }
                return new InpaintMask(regenerate, c);
            case COLORIZE:
                if (c != 3) {
                    throw AtelierException.field("model", "Colorization needs an RGB model, but this model has " + c
                            + " channel"
                            + (c == 1 ? "" : "s") + ". Use a 3-channel consistency model (see docs/MODELS.md).");
                }
                return new LuminanceKnownPart(size * size);
            case SUPERRES:
                int p = patch == null ? 0 : patch;
                if (p < 1 || size % p != 0) {
                    throw AtelierException.field("patch", "{patch} " + p + " does not divide the model's image size " + size
                            + ". Choose a patch side that divides " + size + " (e.g. " + smallDivisor(size) + ").");
                }
                return new PatchMeanKnownPart(c, size, p);
            default:
                return null;
        }
    }

    /**
     * Runs the sampler on at most {@link #chunk} images at a time. The listener sees the evaluations of all chunks
     * as one count and, as the current estimate, the whole batch: finished chunks, the chunk in progress, and
     * zeros for the chunks still to come.
     */
    private float[] inChunks(ConsistencyModel on, double[] sigmas, NoiseSource[] noise, int[] labels,
            float[] reference, KnownPart known, ConsistencySampler.StepListener listener) {
        ConsistencySampler sampler = new ConsistencySampler(on);
        int count = noise.length;
        int chunk = chunk(on);
        if (count <= chunk) {
            return sampler.run(sigmas, noise, labels, reference, known, listener);
        }
        int n = model.channels() * model.size() * model.size();
        int chunks = (count + chunk - 1) / chunk;
        float[] out = new float[count * n];
        for (int c = 0; c < chunks; c++) {
            int from = c * chunk;
            int to = Math.min(count, from + chunk);
            int done = c * sigmas.length;
            ConsistencySampler.StepListener part = listener == null ? null : (k, total, current) -> {
                System.arraycopy(current, 0, out, from * n, current.length);
                listener.step(done + k, chunks * sigmas.length, out);
            };
            float[] x = sampler.run(sigmas, Arrays.copyOfRange(noise, from, to),
                    labels == null ? null : Arrays.copyOfRange(labels, from, to),
                    reference == null ? null : Arrays.copyOfRange(reference, from * n, to * n), known, part);
            System.arraycopy(x, 0, out, from * n, x.length);
        }
        return out;
    }

    /**
     * @return images per f call: {@link #CHUNK}, or fewer when the model says more would not fit in memory; half as
     *     many when guided (each image is evaluated twice in the call), so a call stays the same size
     */
    private static int chunk(ConsistencyModel m) {
        int most = m instanceof GuidedModel g && g.weight() > 0 ? CHUNK / 2 : CHUNK;
        return Math.max(1, Math.min(most, m.maxBatch()));
    }

    private static int smallDivisor(int size) {
        for (int d : new int[] {4, 2, 7, 3}) {
            if (size % d == 0 && d < size) {
                return d;
            }
        }
        return 1;
    }
}
