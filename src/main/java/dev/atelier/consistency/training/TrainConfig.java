package dev.atelier.consistency.training;

import dev.atelier.AtelierException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.base.ModelManifest;

/**
 * Hyper-parameters of a consistency training run; stored in the checkpoint so that a resume continues
 * with the same ones.
 *
 * @param recipe ict, ct or cd
 * @param totalSteps K, the length of the curriculum
 * @param batch images per step
 * @param lr Adam learning rate
 * @param warmup steps of linear learning-rate warm-up
 * @param s0 initial discretisation steps (iCT 10, CT 2)
 * @param s1 final discretisation steps (iCT 1280, CT 150)
 * @param mu0 CT: EMA decay of the target at the start (0.9)
 * @param emaDecay decay of the evaluation EMA (iCT) or of the CD target
 * @param pMean iCT lognormal mean of ln σ (−1.1)
 * @param pStd iCT lognormal std of ln σ (2.0)
 * @param metric "huber" (pseudo-Huber), "l2" or "l1"
 * @param huberC pseudo-Huber c; ≤ 0 means 0.00054·√d
 * @param classDropout share of labels replaced by "no class" (so the model also samples unconditionally)
 * @param cdSteps CD: grid size N
 * @param heun CD: Heun instead of Euler for the teacher's ODE step
 * @param seed seed of all random streams and the initialisation
 */
public record TrainConfig(Recipe recipe, long totalSteps, int batch, double lr, long warmup, int s0, int s1,
                          double mu0, double emaDecay, double pMean, double pStd, String metric, double huberC,
                          double classDropout, int cdSteps, boolean heun, long seed) {
    /** Most images per training step (a batch of 512 images of 64×64×3 is 25 MB of input alone). */
    public static final int MAX_BATCH = 4096;
    /** Most discretisation steps of the curriculum. */
    public static final int MAX_GRID = 100_000;

    /**
     * Range-checks every setting, so that a bad value is refused before any data loads (a NaN or negative
     * learning rate would otherwise train, an EMA above 1 diverge, a zero batch divide by zero).
     */
    public TrainConfig {
        check(totalSteps >= 1, "steps", "{steps} " + totalSteps + " must be at least 1");
        check(batch >= 1 && batch <= MAX_BATCH, "batch", "{batch} " + batch + " must be 1 to " + MAX_BATCH);
        check(lr > 0 && lr < 1, "lr", "{lr} " + lr + " must be a number above 0 and below 1 (usually 1e-4 to 1e-3)");
        check(warmup >= 0, "warmup", "warm-up " + warmup + " must not be negative");
        check(s0 >= 1 && s1 >= s0 && s1 <= MAX_GRID, s0 < 1 ? "s0" : "s1", "{s0} " + s0 + " and {s1} " + s1
                + " must satisfy 1 <= s0 <= s1 <= " + MAX_GRID);
        check(emaDecay >= 0 && emaDecay < 1, "ema", "{ema} " + emaDecay + " must be in [0, 1) (usually 0.999)");
        check(mu0 >= 0 && mu0 < 1, "mu0", "mu0 " + mu0 + " must be in [0, 1)");
        check(Double.isFinite(pMean) && pStd > 0 && Double.isFinite(pStd), "pStd", "the lognormal sigma "
                + "distribution needs a finite mean and a positive finite spread");
        check(metric == null || metric.equals("huber") || metric.equals("l2") || metric.equals("l1"), "metric",
                "{metric} \"" + metric + "\" must be huber, l2 or l1");
        check(Double.isFinite(huberC), "huberC", "the pseudo-Huber c must be finite");
        check(classDropout >= 0 && classDropout < 1, "classDropout", "class dropout must be in [0, 1)");
        check(cdSteps >= 2 && cdSteps <= MAX_GRID, "cdSteps", "the distillation grid must have 2 to " + MAX_GRID
                + " steps");
    }

    private static void check(boolean ok, String field, String template) {
        if (!ok) {
            throw dev.atelier.AtelierException.field(field, template + ".");
        }
    }

    /** @return iCT defaults for a K-step run */
    public static TrainConfig ict(long totalSteps, int batch, long seed) {
        return new TrainConfig(Recipe.ICT, totalSteps, batch, 2e-4, 0, 10, 1280, 0.9, 0.999, -1.1, 2.0, "huber", 0, 0.1,
                18, true, seed);
    }

    /** @return CT defaults (Algorithm 3 with the paper's s₀ = 2, s₁ = 150, μ₀ = 0.9, L2) */
    public static TrainConfig ct(long totalSteps, int batch, long seed) {
        return new TrainConfig(Recipe.CT, totalSteps, batch, 2e-4, 0, 2, 150, 0.9, 0.999, -1.1, 2.0, "l2", 0, 0.1, 18,
                true, seed);
    }

    /**
     * @return CD defaults (N = 18, Heun, target EMA 0.95, L2); no class dropout, since a conditional teacher
     *     has no "no class" ODE to distil
     */
    public static TrainConfig cd(long totalSteps, int batch, long seed) {
        return new TrainConfig(Recipe.CD, totalSteps, batch, 2e-4, 0, 18, 18, 0.9, 0.95, -1.1, 2.0, "l2", 0, 0, 18,
                true, seed);
    }

    /** @return the defaults of {@code recipe} */
    public static TrainConfig defaults(Recipe recipe, long totalSteps, int batch, long seed) {
        return switch (recipe) {
            case ICT -> ict(totalSteps, batch, seed);
            case CT -> ct(totalSteps, batch, seed);
            case CD -> cd(totalSteps, batch, seed);
        };
    }

    /** @return a copy with another total step count */
    public TrainConfig withTotalSteps(long k) {
        return new TrainConfig(recipe, k, batch, lr, warmup, s0, s1, mu0, emaDecay, pMean, pStd, metric, huberC,
                classDropout, cdSteps, heun, seed);
    }

    /** @return this configuration as JSON */
    public ObjectNode toJson() {
        return ModelManifest.JSON.valueToTree(this);
    }

    /** @return the configuration stored by {@link #toJson()} */
    public static TrainConfig fromJson(JsonNode n) {
        try {
            return ModelManifest.JSON.treeToValue(n, TrainConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AtelierException.field("resume", "The checkpoint's training configuration cannot be read ("
                    + e.getOriginalMessage() + "). Start training afresh without {resume}.", e);
        }
    }
}
