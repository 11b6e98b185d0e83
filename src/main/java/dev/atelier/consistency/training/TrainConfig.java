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
