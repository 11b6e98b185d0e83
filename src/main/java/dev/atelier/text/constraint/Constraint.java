package dev.atelier.text.constraint;

import dev.atelier.AtelierException;

/**
 * A positive lexical constraint as a small state machine over generated token ids, the design of Hugging Face's
 * {@code Constraint}: {@link #advance()} names the tokens that make progress, {@link #update(int)} consumes one
 * generated token. Implement it to add a constraint kind; {@link #check(Constraint)} rejects an implementation
 * that never completes.
 *
 * <p>Contract: {@code doesAdvance(t)} is true exactly for the tokens of {@code advance()} (or for every token
 * when {@code advance()} is empty and the constraint is not complete: a gap any token fills), and
 * {@code update(t)} then returns {@link Update#STEPPED} or {@link Update#COMPLETED}. Any other token returns
 * {@link Update#RESET}; in strict mode the built-in kinds re-examine that token (as KMP does), so that
 * {@code 1 1 2} satisfies the phrase {@code 1 2}. Once complete, a constraint is not updated again.
 */
public interface Constraint {
    /** What one generated token did to the constraint. */
    enum Update {
        /** The token made progress; the constraint is not complete yet. */
        STEPPED,
        /** The token completed the constraint. */
        COMPLETED,
        /** The token did not continue the current partial match (any progress may have been lost). */
        RESET
    }

    /** @return the tokens that make progress now; empty when complete, or when any token would (a gap) */
    int[] advance();

    /**
     * @param token a token id
     * @return whether generating it makes progress now
     */
    boolean doesAdvance(int token);

    /**
     * Consumes one generated token.
     *
     * @param token the token id
     * @return what the token did
     */
    Update update(int token);

    /** Forgets all progress. */
    void reset();

    /** @return tokens still needed to complete, counted along the longest alternative; 0 when complete */
    int remaining();

    /** @return tokens needed from scratch along the longest alternative (Hugging Face's {@code seqlen}) */
    int length();

    /** @return the fewest generated tokens that can satisfy the constraint (used to reject what cannot fit) */
    default int minLength() {
        return length();
    }

    /** @return whether the constraint is satisfied */
    boolean isCompleted();

    /**
     * @return after completion, how many tokens the match covers, ending with the completing token (an ordered
     *     constraint counts its gaps); used to report the matched span
     */
    default int matchLength() {
        return length();
    }

    /**
     * @param stateful whether the copy keeps the progress made so far
     * @return a new instance of this constraint, fresh or in the same state
     */
    Constraint copy(boolean stateful);

    /**
     * Checks that a constraint can be completed by following its own {@link #advance()} (a fresh copy is used;
     * the argument is not changed).
     *
     * @param constraint the constraint to check
     * @throws AtelierException if advance() does not advance, or the constraint does not complete in 10,000 steps
     */
    static void check(Constraint constraint) {
        Constraint c = constraint.copy(false);
        c.reset();
        int steps = 0;
        while (!c.isCompleted()) {
            int[] next = c.advance();
            int token = next.length > 0 ? next[0] : 0;
            if (!c.doesAdvance(token)) {
                throw new AtelierException("The constraint " + constraint + " is not defined correctly: a token from "
                        + "its advance() does not advance it. Make doesAdvance(t) true for every token advance() returns.");
            }
            Update u = c.update(token);
            if (u == Update.RESET) {
                throw new AtelierException("The constraint " + constraint + " is not defined correctly: update() resets "
                        + "on a token that doesAdvance() accepts. Make update(t) step for such tokens.");
            }
            if (++steps > 10_000) {
                throw new AtelierException("The constraint " + constraint + " never completes: following advance() for "
                        + "10,000 tokens does not satisfy it. Fix its update() so that it completes.");
            }
            if (u == Update.COMPLETED && !c.isCompleted()) {
                throw new AtelierException("The constraint " + constraint + " reports COMPLETED but isCompleted() is "
                        + "false. Make the two agree.");
            }
        }
        if (c.remaining() != 0) {
            throw new AtelierException("The constraint " + constraint + " is complete but remaining() is "
                    + c.remaining() + ", not 0. Make remaining() return 0 once complete.");
        }
    }
}
