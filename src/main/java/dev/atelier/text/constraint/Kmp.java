package dev.atelier.text.constraint;

/** Knuth–Morris–Pratt helpers: a phrase matcher whose state is the length of the matched prefix. */
final class Kmp {
    private Kmp() {
    }

    /**
     * @param p the pattern
     * @return fail[i] = length of the longest proper prefix of p[0..i] that is also its suffix
     */
    static int[] failure(int[] p) {
        int[] fail = new int[p.length];
        int k = 0;
        for (int i = 1; i < p.length; i++) {
            while (k > 0 && p[i] != p[k]) {
                k = fail[k - 1];
            }
            if (p[i] == p[k]) {
                k++;
            }
            fail[i] = k;
        }
        return fail;
    }

    /**
     * @param p the pattern
     * @param fail its failure table
     * @param state matched prefix length, 0..p.length (p.length = a match just ended)
     * @param token the next token
     * @return the new matched prefix length (p.length when a match ends at this token)
     */
    static int next(int[] p, int[] fail, int state, int token) {
        int k = state == p.length ? fail[p.length - 1] : state;
        while (k > 0 && p[k] != token) {
            k = fail[k - 1];
        }
        return p[k] == token ? k + 1 : 0;
    }

    static int[] checkedTokens(int[] tokens, String what) {
        if (tokens == null || tokens.length == 0) {
            throw new dev.atelier.AtelierException("The " + what + " is empty. Give at least one token.");
        }
        for (int t : tokens) {
            if (t < 0) {
                throw new dev.atelier.AtelierException("The " + what + " contains the token id " + t
                        + "; token ids are non-negative.");
            }
        }
        return tokens.clone();
    }
}
