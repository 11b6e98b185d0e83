package dev.atelier.consistency;

import dev.atelier.AtelierException;
import java.util.Arrays;
import java.util.Map;

/**
 * The noise levels σ_1 &gt; σ_2 &gt; … &gt; σ_K at which a K-step sampler evaluates f; sampling always ends
 * at ε (the last f call returns the sample). When the model's manifest has a tuned list for K steps it is
 * used as it is. Otherwise the default is the (K+1)-point Karras grid (ρ = 7) from T down to ε without its
 * last point: K = 1 gives [T]; K = 2 gives [80, 2.52] for ε = 0.002, T = 80.
 */
public final class SigmaSchedule {
    /** The largest step count a sampler accepts. */
    public static final int MAX_STEPS = 64;

    private SigmaSchedule() {
    }

    /**
     * @param steps K, 1…64
     * @param tuned the manifest's schedules (step count → σ list), or null
     * @param p the model's noise range
     * @return the K noise levels, descending, starting at the tuned list's first value or T
     */
    public static double[] forSteps(int steps, Map<String, double[]> tuned, Parameterization p) {
        checkSteps(steps);
        double[] list = tuned == null ? null : tuned.get(Integer.toString(steps));
        if (list != null) {
            if (list.length != steps) {
                throw new AtelierException("The model manifest's schedule for " + steps + " steps has " + list.length
                        + " noise levels instead of " + steps + ". Fix \"schedules\" in manifest.json.");
            }
            return validate(list.clone(), p);
        }
        double[] grid = KarrasGrid.ascending(steps + 1, p);
        double[] s = new double[steps];
        for (int i = 0; i < steps; i++) {
            s[i] = grid[steps - i];
        }
        return s;
    }

    /**
     * The one range check of a step count.
     *
     * @param steps K, or null for "the model's default" (always fine)
     * @throws AtelierException (field {@code steps}) outside 1…{@value #MAX_STEPS}
     */
    public static void checkSteps(Integer steps) {
        if (steps != null && (steps < 1 || steps > MAX_STEPS)) {
            throw AtelierException.field("steps", "{steps} " + steps + " is out of range: give 1 to " + MAX_STEPS
                    + " (1 is one-step generation; 2-4 usually suffice).");
        }
    }

    /**
     * Checks a user- or manifest-given list: 1…64 finite values, descending, each in (ε, T]. A level may be
     * repeated (the sampler re-noises its estimate to that σ and denoises again: resampling, see
     * {@link EditSchedule}); it may never rise.
     *
     * @return {@code sigmas}
     */
    public static double[] validate(double[] sigmas, Parameterization p) {
        if (sigmas.length < 1 || sigmas.length > MAX_STEPS) {
            throw new AtelierException("A σ list needs 1 to " + MAX_STEPS + " values; got " + sigmas.length + ".");
        }
        for (int i = 0; i < sigmas.length; i++) {
            double s = sigmas[i];
            if (!Double.isFinite(s) || s <= p.sigmaMin() || s > p.sigmaMax() * (1 + 1e-9)) {
                throw new AtelierException("The σ list " + Arrays.toString(sigmas) + " has " + s + ", outside ("
                        + p.sigmaMin() + ", " + p.sigmaMax() + "]. Give noise levels above ε = " + p.sigmaMin()
                        + " and at most σmax = " + p.sigmaMax() + ".");
            }
            if (i > 0 && s > sigmas[i - 1]) {
                throw new AtelierException("The σ list " + Arrays.toString(sigmas) + " rises. List the noise levels "
                        + "from the largest to the smallest, e.g. \"5.38,2.24\" (a repeated level resamples).");
            }
        }
        return sigmas;
    }
}
