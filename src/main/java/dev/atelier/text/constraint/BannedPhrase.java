package dev.atelier.text.constraint;

import java.util.Arrays;

/**
 * A phrase that must not appear in the generated text. Its matching state is an int (the matched prefix length),
 * kept by whoever tracks a sequence; {@link #bannedNext(int)} names the token that would complete the phrase.
 */
public final class BannedPhrase {
    private final int[] tokens;
    private final int[] fail;

    /** @param tokens the phrase, at least one token */
    public BannedPhrase(int[] tokens) {
        this.tokens = Kmp.checkedTokens(tokens, "banned phrase");
        this.fail = Kmp.failure(this.tokens);
    }

    /** @return the phrase's token ids (a copy) */
    public int[] tokens() {
        return tokens.clone();
    }

    /** @return the phrase length */
    public int length() {
        return tokens.length;
    }

    /**
     * @param state the matched prefix length before {@code token} (0 at the start)
     * @param token the next token
     * @return the new state; {@link #length()} means the phrase has just appeared
     */
    public int next(int state, int token) {
        return Kmp.next(tokens, fail, state, token);
    }

    /**
     * @param state the current state
     * @return the token that would complete the phrase now, or -1
     */
    public int bannedNext(int state) {
        if (state == tokens.length) {
            int k = fail[tokens.length - 1];
            return k == tokens.length - 1 ? tokens[k] : -1;
        }
        return state == tokens.length - 1 ? tokens[state] : -1;
    }

    @Override
    public String toString() {
        return "banned phrase " + dev.atelier.AtelierException.excerpt(Arrays.toString(tokens), 80);
    }
}
