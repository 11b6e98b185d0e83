package dev.atelier.text;

import dev.atelier.text.constraint.ConstraintMatch;
import java.util.List;

/**
 * One output sequence of beam search.
 *
 * @param prompt index of the prompt
 * @param rank 0 = best for that prompt
 * @param tokens the prompt's ids (no padding) then the generated ids, EOS included when generated
 * @param promptLength how many of {@code tokens} are the prompt
 * @param score summed log-probabilities of the generated tokens / (generated length)^length_penalty; may be −∞
 * @param satisfied every required constraint matched in the generated tokens and no banned phrase appeared
 * @param matches spans of the satisfied constraints, by constraint number
 */
public record TextOutput(int prompt, int rank, int[] tokens, int promptLength, double score, boolean satisfied,
        List<ConstraintMatch> matches) {
    /** Refuses a NaN or +∞ score: it would print as a number (or as 0.0 in JSON) and look like a result. */
    public TextOutput {
        if (Double.isNaN(score) || score == Double.POSITIVE_INFINITY) {
            throw new dev.atelier.AtelierException("Beam search produced the score " + score + " for prompt " + prompt
                    + ", which is not a log-probability; no result is reported. Check the length penalty and the "
                    + "model's outputs.");
        }
    }
}
