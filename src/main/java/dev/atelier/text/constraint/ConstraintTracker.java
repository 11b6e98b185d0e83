package dev.atelier.text.constraint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The strict-mode constraint state of one sequence, advanced one generated token at a time (no replay). Every
 * required constraint follows every token on its own, so constraints may overlap and any order works; a
 * completed constraint keeps its span. Banned phrases are tracked to name the tokens that must not come next.
 *
 * <p>Every constraint is followed with strict semantics (a Hugging Face variant of a disjunction is checked as
 * a strict one), so the same tracker also checks hf-mode outputs.
 *
 * <p>The bank, the search's first ranking key, is {@code completed · maxLength + progress}, where progress is
 * the largest {@code length() − remaining()} among the unfinished constraints.
 */
public final class ConstraintTracker {
    private final ConstraintSet set;
    private final Constraint[] states;
    private final int[] starts;
    private final int[] ends;
    private final int[] banStates;
    private final int maxLength;
    private int completed;
    private int violatedBan = -1;
    private int position;

    /** @param set the constraints to track from the first generated token */
    public ConstraintTracker(ConstraintSet set) {
        this.set = set;
        int n = set.required().size();
        this.states = new Constraint[n];
        for (int i = 0; i < n; i++) {
            Constraint c = set.required().get(i);
            // Strict semantics always: the Hugging Face variant of a disjunction is checked as a strict one.
            states[i] = c instanceof DisjunctiveConstraint d && d.isHuggingFace() ? d.strict() : c.copy(false);
        }
        this.starts = new int[n];
        this.ends = new int[n];
        Arrays.fill(ends, -1);
        this.banStates = new int[set.banned().size()];
        this.maxLength = set.maxLength();
    }

    private ConstraintTracker(ConstraintTracker o) {
        this.set = o.set;
        this.states = o.states.clone();
        for (int i = 0; i < states.length; i++) {
            if (o.ends[i] < 0) {
                states[i] = o.states[i].copy(true); // completed ones are never updated again: share them
            }
        }
        this.starts = o.starts.clone();
        this.ends = o.ends.clone();
        this.banStates = o.banStates.clone();
        this.maxLength = o.maxLength;
        this.completed = o.completed;
        this.violatedBan = o.violatedBan;
        this.position = o.position;
    }

    /** @return an independent copy */
    public ConstraintTracker copy() {
        return new ConstraintTracker(this);
    }

    /**
     * Consumes one generated token.
     *
     * @param token the token id
     */
    public void accept(int token) {
        for (int i = 0; i < states.length; i++) {
            if (ends[i] >= 0) {
                continue;
            }
            Constraint c = states[i];
            Constraint.Update u = c.update(token);
            // A constraint that forgot everything gets the token once more, so that a breaking token can start a
            // new match even in implementations that do not re-examine it themselves.
            if (u == Constraint.Update.RESET && c.remaining() == c.length() && c.doesAdvance(token)) {
                u = c.update(token);
            }
            if (u == Constraint.Update.COMPLETED) {
                ends[i] = position + 1;
                starts[i] = position + 1 - c.matchLength();
                completed++;
            }
        }
        for (int j = 0; j < banStates.length; j++) {
            BannedPhrase b = set.banned().get(j);
            banStates[j] = b.next(banStates[j], token);
            if (banStates[j] == b.length() && violatedBan < 0) {
                violatedBan = set.bannedNumber(j);
            }
        }
        position++;
    }

    /** @return generated tokens consumed so far */
    public int position() {
        return position;
    }

    /** @return whether every required constraint is complete and no banned phrase appeared */
    public boolean satisfied() {
        return completed == states.length && violatedBan < 0;
    }

    /** @return the number of completed required constraints */
    public int completedCount() {
        return completed;
    }

    /** @return the ranking bank: completed · maxLength + the best partial progress */
    public int bank() {
        int progress = 0;
        for (int i = 0; i < states.length; i++) {
            if (ends[i] < 0) {
                progress = Math.max(progress, states[i].length() - states[i].remaining());
            }
        }
        return completed * maxLength + progress;
    }

    /** @return the distinct tokens that advance some unfinished required constraint */
    public int[] advanceTokens() {
        int[] out = new int[4];
        int n = 0;
        for (int i = 0; i < states.length; i++) {
            if (ends[i] >= 0) {
                continue;
            }
            for (int t : states[i].advance()) {
                boolean seen = false;
                for (int k = 0; k < n && !seen; k++) {
                    seen = out[k] == t;
                }
                if (!seen) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = t;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * @param i a required constraint
     * @return the tokens that advance it; empty once it is complete (or when any token fills a gap)
     */
    public int[] advanceTokens(int i) {
        return ends[i] >= 0 ? new int[0] : states[i].advance();
    }

    /**
     * @param token a candidate next token
     * @return whether it would complete a banned phrase
     */
    public boolean isBanned(int token) {
        for (int j = 0; j < banStates.length; j++) {
            if (set.banned().get(j).bannedNext(banStates[j]) == token) {
                return true;
            }
        }
        return false;
    }

    /** @return the number of required constraints tracked */
    public int requiredCount() {
        return states.length;
    }

    /**
     * @param i a required constraint, in set order
     * @return its number among all the set's constraints (as in {@link ConstraintMatch#constraint()})
     */
    public int requiredNumber(int i) {
        return set.requiredNumber(i);
    }

    /** @return whether required constraint {@code i} is complete */
    public boolean isComplete(int i) {
        return ends[i] >= 0;
    }

    /** @return tokens of required constraint {@code i} matched so far: its length once complete */
    public int matched(int i) {
        return ends[i] >= 0 ? states[i].length() : states[i].length() - states[i].remaining();
    }

    /** @return the tokens required constraint {@code i} needs in all */
    public int length(int i) {
        return states[i].length();
    }

    /**
     * @param offset added to the generated positions (the prompt length) to index the output's tokens
     * @return the spans of the completed required constraints, by constraint number
     */
    public List<ConstraintMatch> matches(int offset) {
        List<ConstraintMatch> out = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            if (ends[i] >= 0) {
                out.add(new ConstraintMatch(set.requiredNumber(i), offset + starts[i], offset + ends[i]));
            }
        }
        out.sort((a, b) -> Integer.compare(a.constraint(), b.constraint()));
        return out;
    }

    /**
     * Checks a finished sequence from scratch (used for information in hf mode).
     *
     * @param set the constraints
     * @param tokens the whole output
     * @param from index of the first generated token
     * @param to index after the last generated token to consider
     * @return the tracker after consuming tokens[from..to)
     */
    public static ConstraintTracker check(ConstraintSet set, int[] tokens, int from, int to) {
        ConstraintTracker t = new ConstraintTracker(set);
        for (int i = from; i < to; i++) {
            t.accept(tokens[i]);
        }
        return t;
    }
}
