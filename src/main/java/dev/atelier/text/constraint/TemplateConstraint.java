package dev.atelier.text.constraint;

import dev.atelier.AtelierException;
import java.util.Arrays;

/**
 * The generated text must contain a contiguous run matching a template of fixed tokens and gaps, e.g.
 * {@code the _ School of _ in} where each gap ({@link #GAP}) is exactly one token of any kind. Matched with the
 * shift-and algorithm, so every partial match is tracked at once; at most 63 positions.
 */
public final class TemplateConstraint implements Constraint {
    /** The pattern value of a gap position (any one token). */
    public static final int GAP = -1;
    private static final int MAX_LENGTH = 63;

    private final int[] pattern;
    private final long gapMask;
    private final int[] fixedTokens;
    private final long[] fixedMasks;
    private final long doneBit;
    private long state;
    private boolean completed;

    /** @param pattern fixed token ids and {@link #GAP}s; at least one fixed token, at most 63 positions */
    public TemplateConstraint(int[] pattern) {
        if (pattern == null || pattern.length == 0) {
            throw new AtelierException("A template constraint is empty. Give words and gaps, e.g. \"the _ School of _ in\".");
        }
        if (pattern.length > MAX_LENGTH) {
            throw new AtelierException("A template constraint spans " + pattern.length + " tokens; at most " + MAX_LENGTH
                    + " are supported. Shorten the template.");
        }
        long gaps = 0;
        int[] toks = new int[pattern.length];
        long[] masks = new long[pattern.length];
        int n = 0;
        for (int i = 0; i < pattern.length; i++) {
            int t = pattern[i];
            if (t == GAP) {
                gaps |= 1L << i;
                continue;
            }
            if (t < 0) {
                throw new AtelierException("A template constraint contains the token id " + t + "; use non-negative ids "
                        + "and TemplateConstraint.GAP for gaps.");
            }
            int k = 0;
            while (k < n && toks[k] != t) {
                k++;
            }
            if (k == n) {
                toks[n++] = t;
            }
            masks[k] |= 1L << i;
        }
        if (n == 0) {
            throw new AtelierException("A template constraint has no words, only gaps; it would match anything. Add at "
                    + "least one word, e.g. \"the _ School\".");
        }
        this.pattern = pattern.clone();
        this.gapMask = gaps;
        this.fixedTokens = Arrays.copyOf(toks, n);
        this.fixedMasks = Arrays.copyOf(masks, n);
        this.doneBit = 1L << (pattern.length - 1);
    }

    private TemplateConstraint(TemplateConstraint o) {
        this.pattern = o.pattern;
        this.gapMask = o.gapMask;
        this.fixedTokens = o.fixedTokens;
        this.fixedMasks = o.fixedMasks;
        this.doneBit = o.doneBit;
    }

    /** @return the pattern (a copy): token ids and {@link #GAP}s */
    public int[] pattern() {
        return pattern.clone();
    }

    private long mask(int token) {
        long m = gapMask;
        for (int k = 0; k < fixedTokens.length; k++) {
            if (fixedTokens[k] == token) {
                return m | fixedMasks[k];
            }
        }
        return m;
    }

    private int progress() {
        return 64 - Long.numberOfLeadingZeros(state);
    }

    @Override
    public int[] advance() {
        if (completed) {
            return new int[0];
        }
        int next = pattern[progress()];
        return next == GAP ? new int[0] : new int[] {next};
    }

    @Override
    public boolean doesAdvance(int token) {
        if (completed) {
            return false;
        }
        int next = pattern[progress()];
        return next == GAP || next == token;
    }

    @Override
    public Update update(int token) {
        if (completed) {
            return Update.COMPLETED;
        }
        int before = progress();
        state = ((state << 1) | 1L) & mask(token);
        if ((state & doneBit) != 0) {
            completed = true;
            return Update.COMPLETED;
        }
        return progress() > before ? Update.STEPPED : Update.RESET;
    }

    @Override
    public void reset() {
        state = 0;
        completed = false;
    }

    @Override
    public int remaining() {
        return completed ? 0 : pattern.length - progress();
    }

    @Override
    public int length() {
        return pattern.length;
    }

    @Override
    public boolean isCompleted() {
        return completed;
    }

    @Override
    public Constraint copy(boolean stateful) {
        TemplateConstraint c = new TemplateConstraint(this);
        if (stateful) {
            c.state = state;
            c.completed = completed;
        }
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("template [");
        for (int i = 0; i < pattern.length; i++) {
            sb.append(i > 0 ? ", " : "").append(pattern[i] == GAP ? "_" : String.valueOf(pattern[i]));
        }
        return sb.append(']').toString();
    }
}
