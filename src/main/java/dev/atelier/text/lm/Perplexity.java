package dev.atelier.text.lm;

import dev.atelier.text.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Perplexity of a token stream under any {@link LanguageModel}: exp of the mean negative log-likelihood of
 * tokens 1 … N−1. The stream is cut into windows of {@code window}+1 tokens that overlap by one token, so
 * every token after the first is predicted exactly once, from the tokens before it in its window (at most
 * {@code window} of them). Windows of equal length are decoded together, {@code rows} at a time.
 */
public final class Perplexity {
    /** The outcome: total negative log-likelihood (nats) over {@code count} predicted tokens. */
    public record Result(double nll, long count) {
        /** @return exp(nll / count) */
        public double perplexity() {
            return Math.exp(nll / count);
        }

        /** @return mean negative log-likelihood per token, in nats */
        public double meanNll() {
            return nll / count;
        }
    }

    private Perplexity() {
    }

    /** Scores with non-overlapping windows (stride = window): contexts of 0 … window−1 tokens. */
    public static Result evaluate(LanguageModel lm, int[] tokens, int window, int rows, DoubleConsumer progress) {
        return evaluate(lm, tokens, window, Integer.MAX_VALUE, rows, progress);
    }

    /**
     * Strided evaluation, as Hugging Face's perplexity guide does it: windows of up to {@code window}+1 tokens
     * end {@code stride} tokens apart; each window scores only its last {@code stride} targets (the first window
     * scores all of its own), so every token after the first is scored once and, past the first window, with at
     * least window − stride tokens of context.
     *
     * @param window the longest context used for a prediction (capped at the model's context length)
     * @param stride targets scored per window (capped at the window)
     * @param rows windows decoded at once
     * @param progress receives the fraction done after each batch, or null
     */
    public static Result evaluate(LanguageModel lm, int[] tokens, int window, int stride, int rows,
                                  DoubleConsumer progress) {
        if (tokens.length < 2) {
            throw new IllegalArgumentException("need at least two tokens");
        }
        int w = Math.max(1, Math.min(Math.min(window, lm.contextLength()), tokens.length - 1));
        int s = Math.max(1, Math.min(stride, w));
        int n = tokens.length - 1; // index of the last target
        List<int[]> windows = new ArrayList<>();
        List<Integer> firstScored = new ArrayList<>();
        for (int end = Math.min(w, n), prevEnd = 0; prevEnd < n; prevEnd = end, end = Math.min(end + s, n)) {
            int start = Math.max(0, end - w);
            windows.add(java.util.Arrays.copyOfRange(tokens, start, end + 1));
            firstScored.add(prevEnd - start + 1); // position in the window of the first target it scores
        }
        double nll = 0;
        long count = 0;
        int done = 0;
        int i = 0;
        while (i < windows.size()) {
            int len = windows.get(i).length;
            int from = firstScored.get(i);
            int j = i;
            while (j < windows.size() && j - i < rows && windows.get(j).length == len && firstScored.get(j) == from) {
                j++;
            }
            List<int[]> batch = windows.subList(i, j);
            int b = batch.size();
            int[][] first = new int[b][];
            int[] identity = new int[b];
            for (int r = 0; r < b; r++) {
                first[r] = new int[] {batch.get(r)[0]};
                identity[r] = r;
            }
            try (LanguageModel.Decoder d = lm.start(first)) {
                for (int pos = 1; pos < len; pos++) {
                    int[] next = new int[b];
                    float[][] lp = pos >= from ? d.checkedLogProbs() : null;
                    for (int r = 0; r < b; r++) {
                        next[r] = batch.get(r)[pos];
                        if (lp != null) {
                            nll -= lp[r][next[r]];
                        }
                    }
                    if (lp != null) {
                        count += b;
                    }
                    if (pos + 1 < len) {
                        d.advance(identity, next);
                    }
                }
            }
            done += b;
            i = j;
            if (progress != null) {
                progress.accept((double) done / windows.size());
            }
        }
        return new Result(nll, count);
    }
}
