package dev.atelier.consistency;

import dev.atelier.AtelierException;

/**
 * The consistency-model parameterisation of Song et al. (2023), EDM-style:
 * f(x, σ) = c_skip(σ)·x + c_out(σ)·F(c_in(σ)·x, c_noise(σ)), which makes f(x, ε) = x exactly.
 * Data live in [−1, 1]; σ_data = 0.5 by default.
 *
 * @param sigmaData σ_data, the data's standard deviation assumed by the scalings
 * @param sigmaMin ε, the smallest noise level (the boundary)
 * @param sigmaMax T, the largest noise level (sampling starts at T·z)
 * @param noise how σ is fed to the network
 */
public record Parameterization(double sigmaData, double sigmaMin, double sigmaMax, NoiseConditioning noise) {
    /** σ_data 0.5, ε 0.002, T 80, c_noise = ln(σ)/4 (what Atelier's own networks use). */
    public static final Parameterization DEFAULT = new Parameterization(0.5, 0.002, 80.0, NoiseConditioning.LOG_QUARTER);

    /** @return the parameterisation a model's manifest gives (σ_data 0.5, ε 0.002, T 80 when not given) */
    public static Parameterization of(dev.atelier.base.ModelManifest m) {
        return new Parameterization(m.sigma_data == null ? 0.5 : m.sigma_data, m.sigma_min == null ? 0.002 : m.sigma_min,
                m.sigma_max == null ? 80.0 : m.sigma_max, NoiseConditioning.fromManifest(m.c_noise));
    }

    /** How σ becomes the network's noise input c_noise(σ); the model's manifest names the convention. */
    public enum NoiseConditioning {
        /** 250·ln σ, OpenAI's consistency-model checkpoints */
        LOG_250("250*ln(sigma)"),
        /** ln(σ)/4, EDM and Atelier's own models */
        LOG_QUARTER("ln(sigma)/4"),
        /** σ itself */
        SIGMA("sigma");

        private final String manifestName;

        NoiseConditioning(String manifestName) {
            this.manifestName = manifestName;
        }

        /** @return the string used in manifest.json */
        public String manifestName() {
            return manifestName;
        }

        /** @return c_noise(σ) */
        public double apply(double sigma) {
            switch (this) {
                case LOG_250:
                    return 250.0 * Math.log(sigma);
                case LOG_QUARTER:
                    return Math.log(sigma) / 4.0;
                default:
                    return sigma;
            }
        }

        /**
         * @param name the manifest's {@code c_noise} value
         * @throws AtelierException for an unknown convention
         */
        public static NoiseConditioning fromManifest(String name) {
            if (name == null) {
                return LOG_QUARTER;
            }
            String n = name.replace(" ", "").replace("·", "*").toLowerCase(java.util.Locale.ROOT);
            for (NoiseConditioning c : values()) {
                if (c.manifestName.equals(n)) {
                    return c;
                }
            }
            throw new AtelierException("Unknown c_noise convention \"" + name + "\" in the model manifest. Use "
                    + "\"250*ln(sigma)\" (OpenAI checkpoints), \"ln(sigma)/4\" (EDM) or \"sigma\".");
        }
    }

    /** @return c_skip(σ) = σd² / ((σ−ε)² + σd²) */
    public double cSkip(double sigma) {
        double d = sigma - sigmaMin;
        return sigmaData * sigmaData / (d * d + sigmaData * sigmaData);
    }

    /** @return c_out(σ) = (σ−ε)·σd / √(σ² + σd²) */
    public double cOut(double sigma) {
        return (sigma - sigmaMin) * sigmaData / Math.sqrt(sigma * sigma + sigmaData * sigmaData);
    }

    /** @return c_in(σ) = 1 / √(σ² + σd²) */
    public double cIn(double sigma) {
        return 1.0 / Math.sqrt(sigma * sigma + sigmaData * sigmaData);
    }

    /** @return c_noise(σ) by the model's convention */
    public double cNoise(double sigma) {
        return noise.apply(sigma);
    }
}
