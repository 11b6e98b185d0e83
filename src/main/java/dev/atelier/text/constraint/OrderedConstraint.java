package dev.atelier.text.constraint;

import dev.atelier.AtelierException;
import java.util.Arrays;

/**
 * The generated text must contain several phrases in the given order, each contiguous, gaps allowed between them.
 * Matching is greedy (each phrase at its earliest end after the previous one), which finds an occurrence whenever
 * one exists; within a phrase a breaking token is re-examined (KMP). The reported span runs from the first
 * token of the first phrase to the last token of the last one.
 */
public final class OrderedConstraint implements Constraint {
    private final int[][] phrases;
    private final int[][] fails;
    private final int total;
    private int phase;
    private int matched;
    private boolean completed;
    private int seen;
    private int start;

    /** @param phrases the phrases in order, at least one, each at least one token */
    public OrderedConstraint(int[][] phrases) {
        if (phrases == null || phrases.length == 0) {
            throw new AtelierException("An ordered constraint needs at least one phrase.");
        }
        this.phrases = new int[phrases.length][];
        this.fails = new int[phrases.length][];
        int sum = 0;
        for (int i = 0; i < phrases.length; i++) {
            this.phrases[i] = Kmp.checkedTokens(phrases[i], "phrase " + (i + 1) + " of an ordered constraint");
            this.fails[i] = Kmp.failure(this.phrases[i]);
            sum += this.phrases[i].length;
        }
        this.total = sum;
    }

    private OrderedConstraint(OrderedConstraint o) {
        this.phrases = o.phrases;
        this.fails = o.fails;
        this.total = o.total;
    }

    /** @return the phrases' token ids (copies) */
    public int[][] phrases() {
        int[][] out = new int[phrases.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = phrases[i].clone();
        }
        return out;
    }

    @Override
    public int[] advance() {
        return completed ? new int[0] : new int[] {phrases[phase][matched]};
    }

    @Override
    public boolean doesAdvance(int token) {
        return !completed && phrases[phase][matched] == token;
    }

    @Override
    public Update update(int token) {
        if (completed) {
            return Update.COMPLETED;
        }
        seen++;
        int[] p = phrases[phase];
        if (p[matched] != token) {
            matched = Kmp.next(p, fails[phase], matched, token);
            return Update.RESET;
        }
        matched++;
        if (matched < p.length) {
            return Update.STEPPED;
        }
        if (phase == 0) {
            start = seen - p.length;
        }
        phase++;
        matched = 0;
        if (phase == phrases.length) {
            completed = true;
            phase = phrases.length - 1;
            matched = phrases[phase].length;
            return Update.COMPLETED;
        }
        return Update.STEPPED;
    }

    @Override
    public void reset() {
        phase = 0;
        matched = 0;
        completed = false;
        seen = 0;
        start = 0;
    }

    @Override
    public int remaining() {
        if (completed) {
            return 0;
        }
        int r = phrases[phase].length - matched;
        for (int i = phase + 1; i < phrases.length; i++) {
            r += phrases[i].length;
        }
        return r;
    }

    @Override
    public int length() {
        return total;
    }

    @Override
    public boolean isCompleted() {
        return completed;
    }

    @Override
    public int matchLength() {
        return seen - start;
    }

    @Override
    public Constraint copy(boolean stateful) {
        OrderedConstraint c = new OrderedConstraint(this);
        if (stateful) {
            c.phase = phase;
            c.matched = matched;
            c.completed = completed;
            c.seen = seen;
            c.start = start;
        }
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("in order ");
        for (int i = 0; i < phrases.length; i++) {
            sb.append(i > 0 ? " … " : "").append(dev.atelier.AtelierException.excerpt(Arrays.toString(phrases[i]), 80));
        }
        return sb.toString();
    }
}
