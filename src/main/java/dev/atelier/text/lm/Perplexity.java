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

    /**
     * @param window the longest context used for a prediction (capped at the model's context length)
     * @param rows windows decoded at once
     * @param progress receives the fraction done after each batch, or null
     */
    public static Result evaluate(LanguageModel lm, int[] tokens, int window, int rows, DoubleConsumer progress) {
        if (tokens.length < 2) {
            throw new IllegalArgumentException("need at least two tokens");
        }
        int w = Math.max(1, Math.min(Math.min(window, lm.contextLength()), tokens.length - 1));
        List<int[]> windows = new ArrayList<>();
        for (int start = 0; start + 1 < tokens.length; start += w) {
            int end = Math.min(tokens.length, start + w + 1);
            int[] win = new int[end - start];
            System.arraycopy(tokens, start, win, 0, win.length);
            windows.add(win);
        }
        double nll = 0;
        long count = 0;
        int done = 0;
        int i = 0;
        while (i < windows.size()) {
            int len = windows.get(i).length;
            int j = i;
            while (j < windows.size() && j - i < rows && windows.get(j).length == len) {
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
                    float[][] lp = d.logProbs();
                    int[] next = new int[b];
                    for (int r = 0; r < b; r++) {
                        next[r] = batch.get(r)[pos];
                        nll -= lp[r][next[r]];
                    }
                    count += b;
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
