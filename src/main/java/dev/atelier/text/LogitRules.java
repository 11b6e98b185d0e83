package dev.atelier.text;

import java.util.Arrays;

/** Token bans shared by the searches, as Hugging Face's logits processors define them. */
public final class LogitRules {
    private LogitRules() {
    }

    /**
     * Hugging Face's {@code NoRepeatNGramLogitsProcessor}: the tokens that would repeat an n-gram of
     * {@code seq[0..len)}.
     *
     * @return the banned tokens (may repeat), empty when {@code n == 0} or the sequence is too short
     */
    public static int[] noRepeatBanned(int[] seq, int len, int n) {
        if (n <= 0 || len + 1 < n) {
            return new int[0];
        }
        int[] out = new int[4];
        int count = 0;
        int prefixStart = len - (n - 1);
        outer:
        for (int i = 0; i + n <= len; i++) {
            for (int k = 0; k < n - 1; k++) {
                if (seq[i + k] != seq[prefixStart + k]) {
                    continue outer;
                }
            }
            if (count == out.length) {
                out = Arrays.copyOf(out, count * 2);
            }
            out[count++] = seq[i + n - 1];
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * Hugging Face's {@code NoBadWordsLogitsProcessor}: the last token of each banned phrase whose other tokens
     * end {@code seq[0..len)} (single-token phrases always).
     */
    public static int[] badWordsBanned(int[] seq, int len, int[][] banned) {
        int[] out = new int[banned.length];
        int count = 0;
        outer:
        for (int[] b : banned) {
            int m = b.length - 1;
            if (m > len) {
                continue;
            }
            for (int k = 0; k < m; k++) {
                if (seq[len - m + k] != b[k]) {
                    continue outer;
                }
            }
            out[count++] = b[m];
        }
        return Arrays.copyOf(out, count);
    }

    public static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    public static int[] append(int[] seq, int token) {
        int[] out = Arrays.copyOf(seq, seq.length + 1);
        out[seq.length] = token;
        return out;
    }
}
