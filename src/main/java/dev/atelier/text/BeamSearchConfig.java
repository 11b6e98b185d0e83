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
    public static final int MAX_BEAMS = 4096;

    /** @return the defaults: strict, 4 beams, 30 new tokens, length penalty 1, early stopping false */
    public static BeamSearchConfig defaults() {
        return new BeamSearchConfig(SearchMode.STRICT, 4, null, 30, 0, 1.0, EarlyStopping.FALSE, 1, 0);
    }

    /**
     * Checks the settings; a form binds to these fields, so each error names its field.
     *
     * @throws AtelierException naming the setting that is out of range
     */
    public BeamSearchConfig {
        if (mode == null) {
            throw AtelierException.field("mode", "Choose a search {mode}: strict or hf.");
        }
        if (earlyStopping == null) {
            throw AtelierException.field("earlyStopping", "Choose {earlyStopping}: true, false or never.");
        }
        if (numBeams < 1 || numReturn < 1 || numReturn > numBeams) {
            throw AtelierException.field(numBeams < 1 ? "numBeams" : "numReturn", "{numBeams} must be at least 1 and "
                    + "{numReturn} between 1 and {numBeams} (got " + numBeams + " beams, " + numReturn
                    + " to return), as in Hugging Face.");
        }
        if (mode == SearchMode.HF && numBeams < 2) {
            throw AtelierException.field("numBeams", "hf mode reproduces Hugging Face beam search, which needs at "
                    + "least 2 beams (with 1 it switches to greedy search). Use {numBeams} 2 or more, or strict mode.");
        }
        if (maxLength != null && maxNewTokens != null) {
            throw AtelierException.field("maxNewTokens", "Give either {maxLength} or {maxNewTokens}, not both.");
        }
        if (maxLength == null && maxNewTokens == null) {
            throw AtelierException.field("maxNewTokens", "Give {maxLength} or {maxNewTokens}.");
        }
        if (numBeams > MAX_BEAMS) {
            throw AtelierException.field("numBeams", "{numBeams} is " + numBeams + "; at most " + MAX_BEAMS
                    + " beams are searched (each holds a row of the whole vocabulary per step).");
        }
        if (maxLength != null && maxLength > dev.atelier.Limits.MAX_CONTEXT
                || maxNewTokens != null && maxNewTokens > dev.atelier.Limits.MAX_CONTEXT) {
            throw AtelierException.field(maxLength != null ? "maxLength" : "maxNewTokens", "At most "
                    + dev.atelier.Limits.MAX_CONTEXT + " tokens are searched (asked: " + (maxLength != null ? maxLength
                    : maxNewTokens) + ").");
        }
        if (maxLength != null && maxLength < 1) {
            throw AtelierException.field("maxLength", "{maxLength} must be at least 1.");
        }
        if (maxNewTokens != null && maxNewTokens < 1) {
            throw AtelierException.field("maxNewTokens", "{maxNewTokens} must be at least 1.");
        }
        if (minLength < 0) {
            throw AtelierException.field("minLength", "{minLength} must not be negative.");
        }
        if (noRepeatNgram < 0) {
            throw AtelierException.field("noRepeatNgram", "{noRepeatNgram} must not be negative (0 is off).");
        }
        if (!Double.isFinite(lengthPenalty)) {
            throw AtelierException.field("lengthPenalty", "{lengthPenalty} must be a finite number (1.0 is neutral).");
        }
    }
}
