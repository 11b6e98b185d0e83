package dev.atelier.consistency;

import dev.atelier.AtelierException;

/**
 * Class guidance for a class-conditional consistency model that also knows "no class" (trained with label dropout,
 * as {@code atelier train-cm} trains them): f_w(x, σ, c) = f(x, σ, c) + w·(f(x, σ, c) − f(x, σ, ∅)), the
 * classifier-free guidance of diffusion models applied to the consistency function's estimate. Both terms come from
 * one batched call of twice the images, so a guided evaluation costs about two plain ones. Images asked for no class
 * pass through unchanged; w = 0 is the model itself. A small w makes samples more typical of their class (and, on the
 * shipped model, closer to the test set); a large one exaggerates them (docs/BENCHMARKS.md).
 */
public final class GuidedModel implements ConsistencyModel {
    /** The largest weight a request may give. */
    public static final double MAX_WEIGHT = 10;

    private final ConsistencyModel model;
    private final double weight;

    /**
     * @param model a class-conditional model with a null class (any model when {@code weight} is 0)
     * @param weight w, 0…{@value #MAX_WEIGHT}
     * @throws AtelierException (field {@code guidance}) for a weight out of range or a model that cannot be guided
     */
    public GuidedModel(ConsistencyModel model, double weight) {
        check(weight, model);
        this.model = model;
        this.weight = weight;
    }

    /**
     * Checks a guidance weight against a model.
     *
     * @param weight w
     * @param model the model it will guide
     * @throws AtelierException (field {@code guidance}) naming what is wrong and what to do
     */
    public static void check(double weight, ConsistencyModel model) {
        GenerationRequest.checkGuidance(weight);
        if (weight > 0 && (model.numClasses() == 0 || !model.hasNullClass())) {
            throw AtelierException.field("guidance", "{guidance} needs a class-conditional model that also knows "
                    + "\"no class\" (trained with label dropout); this one "
                    + (model.numClasses() == 0 ? "has no classes" : "was not trained with a \"no class\"")
                    + ". Set {guidance} to 0.");
        }
    }

    /** @return w */
    public double weight() {
        return weight;
    }

    @Override
    public int size() {
        return model.size();
    }

    @Override
    public int channels() {
        return model.channels();
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    @Override
    public boolean hasNullClass() {
        return model.hasNullClass();
    }

    /** @return half the model's limit when guiding (each image is evaluated twice) */
    @Override
    public int maxBatch() {
        int m = model.maxBatch();
        return weight == 0 || m == Integer.MAX_VALUE ? m : Math.max(1, m / 2);
    }

    @Override
    public Parameterization parameterization() {
        return model.parameterization();
    }

    @Override
    public float[] denoise(float[] x, float[] sigma, int[] labels) {
        if (weight == 0 || labels == null || java.util.Arrays.stream(labels).allMatch(y -> y == NO_CLASS)) {
            return model.denoise(x, sigma, labels); // nothing to guide: one plain call
        }
        int batch = sigma.length;
        int n = x.length / batch;
        float[] x2 = new float[2 * x.length];
        System.arraycopy(x, 0, x2, 0, x.length);
        System.arraycopy(x, 0, x2, x.length, x.length);
        float[] s2 = new float[2 * batch];
        System.arraycopy(sigma, 0, s2, 0, batch);
        System.arraycopy(sigma, 0, s2, batch, batch);
        int[] y2 = new int[2 * batch];
        System.arraycopy(labels, 0, y2, 0, batch);
        java.util.Arrays.fill(y2, batch, 2 * batch, NO_CLASS);
        float[] both = model.denoise(x2, s2, y2);
        if (both.length != x2.length) {
            return both; // the sampler reports the size mismatch
        }
        float[] out = new float[x.length];
        for (int b = 0; b < batch; b++) {
            boolean guided = labels[b] != NO_CLASS;
            for (int j = b * n; j < (b + 1) * n; j++) {
                float c = both[j];
                out[j] = guided ? (float) (c + weight * (c - both[x.length + j])) : c;
            }
        }
        return out;
    }
}
