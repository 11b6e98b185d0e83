package dev.atelier.text.constraint;

import dev.atelier.AtelierException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The constraints of one prompt, numbered in the order they were given (all kinds in one sequence): required
 * ones ({@link Constraint}) and {@link BannedPhrase}s. Immutable; the search copies the constraints.
 */
public final class ConstraintSet {
    /** No constraints. */
    public static final ConstraintSet NONE = new Builder().build();

    private final List<Constraint> required;
    private final int[] requiredNumbers;
    private final List<BannedPhrase> banned;
    private final int[] bannedNumbers;
    private final List<String> labels;

    private ConstraintSet(Builder b) {
        this.required = List.copyOf(b.required);
        this.banned = List.copyOf(b.banned);
        this.requiredNumbers = b.requiredNumbers.stream().mapToInt(Integer::intValue).toArray();
        this.bannedNumbers = b.bannedNumbers.stream().mapToInt(Integer::intValue).toArray();
        this.labels = List.copyOf(b.labels);
    }

    /**
     * @param number a constraint number
     * @return how the user wrote it (e.g. {@code phrase "is fast"}), or its token form
     */
    public String describe(int number) {
        return dev.atelier.AtelierException.excerpt(labels.get(number), 80);
    }

    /** @return a builder; constraints are numbered in the order they are added */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the required constraints (fresh; copy before updating) */
    public List<Constraint> required() {
        return required;
    }

    /** @return the banned phrases */
    public List<BannedPhrase> banned() {
        return banned;
    }

    /**
     * @param i index into {@link #required()}
     * @return its number in the set
     */
    public int requiredNumber(int i) {
        return requiredNumbers[i];
    }

    /**
     * @param i index into {@link #banned()}
     * @return its number in the set
     */
    public int bannedNumber(int i) {
        return bannedNumbers[i];
    }

    /** @return the number of constraints of all kinds */
    public int size() {
        return required.size() + banned.size();
    }

    /** @return the longest required constraint's {@link Constraint#length()}, 0 without any */
    public int maxLength() {
        int m = 0;
        for (Constraint c : required) {
            m = Math.max(m, c.length());
        }
        return m;
    }

    /**
     * Rejects what cannot work, before decoding: a constraint that never completes, special tokens in a phrase,
     * a banned phrase inside a required one (for a disjunctive constraint: inside every option).
     *
     * @param specialTokens ids that may not appear in constraints (EOS, pad)
     * @param label how to name the prompt in messages, e.g. "prompt 0"
     */
    public void validate(int[] specialTokens, String label) {
        for (int i = 0; i < required.size(); i++) {
            Constraint c = required.get(i);
            Constraint.check(c);
            for (int[] phrase : phrasesOf(c)) {
                for (int t : phrase) {
                    for (int s : specialTokens) {
                        if (t == s) {
                            throw AtelierException.field("maxNewTokens", "Constraint " + requiredNumbers[i] + " of " + label + " ("
                                    + describe(requiredNumbers[i]) + ") contains the special token " + s + " (end of sequence or padding), which "
                                    + "generation never produces inside text. Remove it from the constraint.");
                        }
                    }
                }
            }
        }
        for (int i = 0; i < required.size(); i++) {
            Constraint c = required.get(i);
            List<int[]> phrases = phrasesOf(c);
            if (c instanceof DisjunctiveConstraint) {
                // Any one option satisfies it: impossible only when every option contains a banned phrase.
                List<String> bans = new ArrayList<>();
                for (int[] option : phrases) {
                    int j = bannedIn(option);
                    if (j < 0) {
                        bans = null;
                        break;
                    }
                    String ban = "constraint " + bannedNumbers[j] + " (" + describe(bannedNumbers[j]) + ")";
                    if (!bans.contains(ban)) {
                        bans.add(ban);
                    }
                }
                if (bans != null && !phrases.isEmpty()) {
                    throw new AtelierException("Every option of the required constraint " + requiredNumbers[i] + " of "
                            + label + " (" + describe(requiredNumbers[i]) + ") contains a banned phrase ("
                            + String.join(", ", bans) + "): no output could satisfy both. Remove a ban or add an "
                            + "option without the banned words.");
                }
                continue;
            }
            for (int[] phrase : phrases) {
                int j = bannedIn(phrase);
                if (j >= 0) {
                    throw new AtelierException("Constraint " + bannedNumbers[j] + " of " + label + " ("
                            + describe(bannedNumbers[j]) + ") bans a phrase that occurs in the required constraint "
                            + requiredNumbers[i] + " (" + describe(requiredNumbers[i]) + "): no output could satisfy "
                            + "both. Remove the ban or the required phrase.");
                }
            }
        }
    }

    /** @return the index of the first banned phrase that occurs in {@code phrase}, or −1 */
    private int bannedIn(int[] phrase) {
        for (int j = 0; j < banned.size(); j++) {
            if (contains(phrase, banned.get(j).tokens())) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Rejects a required constraint that cannot fit in the tokens to be generated.
     *
     * @param maxNewTokens tokens the search may generate for this prompt
     * @param label how to name the prompt in messages
     */
    public void checkFits(int maxNewTokens, String label) {
        for (int i = 0; i < required.size(); i++) {
            Constraint c = required.get(i);
            if (c.minLength() > maxNewTokens) {
                throw AtelierException.field("maxNewTokens", "Constraint " + requiredNumbers[i] + " of " + label + " ("
                        + describe(requiredNumbers[i]) + ") needs at "
                        + "least " + c.minLength() + " generated tokens, but only " + maxNewTokens + " may be generated. "
                        + "Raise {maxNewTokens} (or {maxLength}), or shorten the constraint.");
            }
        }
    }

    /** The contiguous token runs a built-in constraint requires (user kinds: none known). */
    private static List<int[]> phrasesOf(Constraint c) {
        List<int[]> out = new ArrayList<>();
        if (c instanceof PhrasalConstraint p) {
            out.add(p.tokens());
        } else if (c instanceof DisjunctiveConstraint d) {
            out.addAll(Arrays.asList(d.options()));
        } else if (c instanceof OrderedConstraint o) {
            out.addAll(Arrays.asList(o.phrases()));
        } else if (c instanceof TemplateConstraint t) {
            int[] p = t.pattern();
            int s = 0;
            for (int i = 0; i <= p.length; i++) {
                if (i == p.length || p[i] == TemplateConstraint.GAP) {
                    if (i > s) {
                        out.add(Arrays.copyOfRange(p, s, i));
                    }
                    s = i + 1;
                }
            }
        }
        return out;
    }

    private static boolean contains(int[] hay, int[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Collects constraints in order. */
    public static final class Builder {
        private final List<Constraint> required = new ArrayList<>();
        private final List<Integer> requiredNumbers = new ArrayList<>();
        private final List<BannedPhrase> banned = new ArrayList<>();
        private final List<Integer> bannedNumbers = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();

        private int next() {
            return required.size() + banned.size();
        }

        /**
         * @param c a required constraint (numbered next)
         * @return this builder
         */
        public Builder add(Constraint c) {
            return add(c, c.toString());
        }

        /**
         * @param c a required constraint (numbered next)
         * @param label how the user wrote it, for messages
         * @return this builder
         */
        public Builder add(Constraint c, String label) {
            requiredNumbers.add(next());
            labels.add(label);
            required.add(c.copy(false));
            return this;
        }

        /**
         * @param b a banned phrase (numbered next)
         * @return this builder
         */
        public Builder ban(BannedPhrase b) {
            return ban(b, b.toString());
        }

        /**
         * @param b a banned phrase (numbered next)
         * @param label how the user wrote it, for messages
         * @return this builder
         */
        public Builder ban(BannedPhrase b, String label) {
            bannedNumbers.add(next());
            labels.add(label);
            banned.add(b);
            return this;
        }

        /** @return the set */
        public ConstraintSet build() {
            return new ConstraintSet(this);
        }
    }
}
