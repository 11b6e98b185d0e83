package dev.atelier.text;

import dev.atelier.AtelierException;

/**
 * Beam search settings, named as in Hugging Face.
 *
 * @param mode strict (Atelier) or hf (transformers 4.57)
 * @param numBeams beams per prompt (hf mode needs at least 2)
 * @param maxLength prompt + generated tokens (hf: the padded prompt), or null to use {@code maxNewTokens}
 * @param maxNewTokens generated tokens, or null to use {@code maxLength}
 * @param minLength EOS is not allowed while prompt + generated tokens are fewer than this (0 = off)
 * @param lengthPenalty exponent of the generated length that divides the summed log-probabilities
 * @param earlyStopping when to stop
 * @param numReturn outputs per prompt, at most {@code numBeams}
 * @param noRepeatNgram n-grams of this size may not repeat in the sequence (0 = off)
 */
public record BeamSearchConfig(SearchMode mode, int numBeams, Integer maxLength, Integer maxNewTokens, int minLength,
        double lengthPenalty, EarlyStopping earlyStopping, int numReturn, int noRepeatNgram) {

    /** Most beams per prompt: every beam holds a row of V log-probabilities per step. */
    public static final int MAX_BEAMS = 512;

    /** @return the defaults: strict, 4 beams, 30 new tokens, length penalty 1, early stopping false */
    public static BeamSearchConfig defaults() {
        return new BeamSearchConfig(SearchMode.STRICT, 4, null, 30, 0, 1.0, EarlyStopping.FALSE, 1, 0);
    }

    /**
     * @throws AtelierException naming the setting that is out of range
     */
    public void validate() {
        if (mode == null || earlyStopping == null) {
            throw new AtelierException("The search mode and early stopping must be set.");
        }
        if (numBeams < 1) {
            throw new AtelierException("--beams is " + numBeams + "; use 1 or more.");
        }
        if (mode == SearchMode.HF && numBeams < 2) {
            throw new AtelierException("hf mode reproduces Hugging Face beam search, which needs at least 2 beams "
                    + "(with 1 it switches to greedy search). Use --beams 2 or more, or --mode strict.");
        }
        if ((maxLength == null) == (maxNewTokens == null)) {
            throw new AtelierException("Give exactly one of --max-length and --max-new-tokens.");
        }
        if (maxLength != null && maxLength < 1 || maxNewTokens != null && maxNewTokens < 1) {
            throw new AtelierException("The maximum length must be at least 1.");
        }
        if (numBeams > MAX_BEAMS || maxLength != null && maxLength > dev.atelier.Limits.MAX_CONTEXT
                || maxNewTokens != null && maxNewTokens > dev.atelier.Limits.MAX_CONTEXT) {
            throw new AtelierException("At most " + MAX_BEAMS + " beams and " + dev.atelier.Limits.MAX_CONTEXT
                    + " tokens are searched (asked: " + numBeams + " beams, length " + (maxLength != null ? maxLength
                    : maxNewTokens) + "). Use fewer.");
        }
        if (minLength < 0 || noRepeatNgram < 0) {
            throw new AtelierException("--min-length and --no-repeat-ngram must not be negative.");
        }
        if (!Double.isFinite(lengthPenalty)) {
            throw new AtelierException("--length-penalty must be a finite number.");
        }
        if (numReturn < 1 || numReturn > numBeams) {
            throw new AtelierException("--num-return is " + numReturn + "; it must be between 1 and --beams ("
                    + numBeams + "), as in Hugging Face.");
        }
    }
}
