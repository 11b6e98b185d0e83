package dev.atelier.text;

import java.util.HashSet;
import java.util.Set;

/**
 * Measures of one generated text, for {@code atelier eval-text}: its log-probability under a model (the search
 * objective, or a judge's perplexity), its share of distinct bigrams (repetition) and where its constraints
 * landed.
 */
public final class TextQuality {
    private TextQuality() {
    }

    /**
     * The summed log-probability of {@code tokens[from..to)} given the tokens before them, one row decoded token
     * by token (KV cache where the model has one). The first token of {@code tokens} is context only.
     *
     * @param lm the model
     * @param tokens a whole sequence
     * @param from first scored index, at least 1
     * @param to end of the scored tokens (exclusive)
     * @return the sum of {@code log p(tokens[i] | tokens[0..i))} over {@code from ≤ i < to}
     */
    public static double logProb(LanguageModel lm, int[] tokens, int from, int to) {
        if (from < 1 || to > tokens.length || from > to) {
            throw new IllegalArgumentException("scored range " + from + ".." + to + " of " + tokens.length);
        }
        if (from == to) {
            return 0;
        }
        double sum = 0;
        try (LanguageModel.Decoder d = lm.start(new int[][] {java.util.Arrays.copyOf(tokens, from)})) {
            for (int i = from; i < to; i++) {
                sum += d.logProbs()[0][tokens[i]];
                if (i + 1 < to) {
                    d.advance(new int[] {0}, new int[] {tokens[i]});
                }
            }
        }
        return sum;
    }

    /**
     * The search objective of an output measured the same way in every mode: {@code (log p(output) −
     * log p(prompt)) / (|output| − |prompt|)}, both sequences scored from their common first token. For an
     * output that keeps the prompt's tokens this is the mean log-probability of the generated tokens; for a
     * token-healed output it also counts the re-chosen boundary token against the prompt's own.
     *
     * @param lm the model
     * @param output the whole output (prompt included)
     * @param prompt the prompt as tokenised, at least one token, sharing the output's first token
     * @param promptLogProb {@code logProb(lm, prompt, 1, prompt.length)}, computed once per prompt
     * @return the mean per-token log-probability; NaN when the output adds no token
     */
    public static double meanLogProb(LanguageModel lm, int[] output, int[] prompt, double promptLogProb) {
        int added = output.length - prompt.length;
        if (added <= 0) {
            return Double.NaN;
        }
        return (logProb(lm, output, 1, output.length) - promptLogProb) / added;
    }

    /**
     * @param tokens generated tokens
     * @return the share of distinct bigrams among the {@code n − 1} bigrams; NaN below two tokens
     */
    public static double distinct2(int[] tokens) {
        if (tokens.length < 2) {
            return Double.NaN;
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i + 1 < tokens.length; i++) {
            seen.add(((long) tokens[i] << 32) | (tokens[i + 1] & 0xffffffffL));
        }
        return seen.size() / (double) (tokens.length - 1);
    }

    /**
     * @param promptChars length of the prompt text
     * @param beforeChars length of the text before the constraint's first token (prompt included)
     * @param totalChars length of the whole text (prompt included, no end-of-sequence marker)
     * @return where the constraint starts in the generated text: 0 = right after the prompt, 1 = at its end
     */
    public static double relativePosition(int promptChars, int beforeChars, int totalChars) {
        int generated = totalChars - promptChars;
        if (generated <= 0) {
            return Double.NaN;
        }
        return Math.max(0, Math.min(1, (beforeChars - promptChars) / (double) generated));
    }
}
