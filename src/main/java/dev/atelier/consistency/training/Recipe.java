package dev.atelier.consistency.training;

import dev.atelier.AtelierException;
import java.util.Locale;

/** The consistency training recipes. */
public enum Recipe {
    /**
     * Improved consistency training (Song and Dhariwal 2023): pseudo-Huber loss, lognormal σ indices, weight
     * 1/(σ_{n+1}−σ_n), N doubling from s₀ to s₁, teacher = stop-gradient student, EMA only for evaluation.
     */
    ICT,
    /** Consistency training, Algorithm 3 of Song et al. (2023): N(k), μ(k), EMA target θ⁻, uniform indices. */
    CT,
    /** Consistency distillation, Algorithm 2: one Euler or Heun step of a teacher denoiser, EMA target. */
    CD;

    /** @throws AtelierException for unknown names */
    public static Recipe parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AtelierException("Unknown recipe \"" + s + "\". Use ict (the default), ct or cd.");
        }
    }
}
