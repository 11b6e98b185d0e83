package dev.atelier.text.constraint;

import java.util.Arrays;

/**
 * The generated text must contain these tokens contiguously. A token that breaks a partial match is
 * re-examined (KMP), so {@code 1 1 2} satisfies {@code 1 2}.
 */
public final class PhrasalConstraint implements Constraint {
    private final int[] tokens;
    private final int[] fail;
    private int matched;
    private boolean completed;

    /** @param tokens the phrase, at least one token */
    public PhrasalConstraint(int[] tokens) {
        this.tokens = Kmp.checkedTokens(tokens, "phrase");
        this.fail = Kmp.failure(this.tokens);
    }

    private PhrasalConstraint(PhrasalConstraint o) {
        this.tokens = o.tokens;
        this.fail = o.fail;
    }

    /** @return the phrase's token ids (a copy) */
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public int[] advance() {
        return completed ? new int[0] : new int[] {tokens[matched]};
    }

    @Override
    public boolean doesAdvance(int token) {
        return !completed && tokens[matched] == token;
    }

    @Override
    public Update update(int token) {
        if (completed) {
            return Update.COMPLETED;
        }
        if (tokens[matched] == token) {
            matched++;
            if (matched == tokens.length) {
                completed = true;
                return Update.COMPLETED;
            }
            return Update.STEPPED;
        }
        matched = Kmp.next(tokens, fail, matched, token);
        return Update.RESET;
    }

    @Override
    public void reset() {
        matched = 0;
        completed = false;
    }

    @Override
    public int remaining() {
        return completed ? 0 : tokens.length - matched;
    }

    @Override
    public int length() {
        return tokens.length;
    }

    @Override
    public boolean isCompleted() {
        return completed;
    }

    @Override
    public Constraint copy(boolean stateful) {
        PhrasalConstraint c = new PhrasalConstraint(this);
        if (stateful) {
            c.matched = matched;
            c.completed = completed;
        }
        return c;
    }

    @Override
    public String toString() {
        return "phrase " + dev.atelier.AtelierException.excerpt(Arrays.toString(tokens), 80);
    }
}
