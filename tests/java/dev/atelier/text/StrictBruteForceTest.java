package dev.atelier.text;

import dev.atelier.text.search.BeamSearch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.text.constraint.BannedPhrase;
import dev.atelier.text.constraint.Constraint;
import dev.atelier.text.constraint.ConstraintMatch;
import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.DisjunctiveConstraint;
import dev.atelier.text.constraint.OrderedConstraint;
import dev.atelier.text.constraint.PhrasalConstraint;
import dev.atelier.text.constraint.TemplateConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Strict mode against an exhaustive search on small random bigram models. With beams covering every partial
 * sequence the result must be the best constrained sequence; with few beams every output must be honest: its
 * flag, spans and score agree with an independent (naive) check.
 */
class StrictBruteForceTest {
    static final int EOS = 0;
    static final int PAD = 1;

    /** A random bigram model over {@code v} tokens (0 = EOS, 1 = pad), some rows sparse. */
    static BigramModel randomModel(Random rnd, int v) {
        List<String> vocab = new ArrayList<>();
        vocab.add("<eos>");
        vocab.add("<pad>");
        for (int i = 2; i < v; i++) {
            vocab.add("w" + i);
        }
        Map<Integer, Map<Integer, Double>> next = new HashMap<>();
        for (int prev = 0; prev < v; prev++) {
            if (rnd.nextInt(6) == 0) {
                continue; // a row the model does not list: all floor
            }
            Map<Integer, Double> row = new HashMap<>();
            for (int t = 0; t < v; t++) {
                if (rnd.nextInt(3) > 0) {
                    row.put(t, 0.05 + rnd.nextDouble());
                }
            }
            next.put(prev, row);
        }
        return new BigramModel(vocab, EOS, PAD, 0.01 + rnd.nextDouble() * 0.05, next);
    }

    static int[] randomPhrase(Random rnd, int v, int maxLen) {
        int[] p = new int[1 + rnd.nextInt(maxLen)];
        for (int i = 0; i < p.length; i++) {
            p[i] = 2 + rnd.nextInt(v - 2);
        }
        return p;
    }

    /** A random set of 1–3 required constraints of all kinds, sometimes a ban that does not clash. */
    static ConstraintSet randomSet(Random rnd, int v, int budget) {
        ConstraintSet.Builder b = ConstraintSet.builder();
        int n = 1 + rnd.nextInt(3);
        List<int[]> required = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(4)) {
                case 0: {
                    int[] p = randomPhrase(rnd, v, Math.min(3, budget));
                    required.add(p);
                    b.add(new PhrasalConstraint(p));
                    break;
                }
                case 1: {
                    int[][] opts = new int[1 + rnd.nextInt(3)][];
                    for (int k = 0; k < opts.length; k++) {
                        opts[k] = randomPhrase(rnd, v, Math.min(3, budget));
                        required.add(opts[k]);
                    }
                    b.add(new DisjunctiveConstraint(opts));
                    break;
                }
                case 2: {
                    int[][] parts = {randomPhrase(rnd, v, 1), randomPhrase(rnd, v, Math.min(2, budget - 1))};
                    required.addAll(Arrays.asList(parts));
                    b.add(new OrderedConstraint(parts));
                    break;
                }
                default: {
                    int len = 2 + rnd.nextInt(Math.max(1, Math.min(3, budget - 1)));
                    int[] pattern = new int[len];
                    for (int k = 0; k < len; k++) {
                        pattern[k] = rnd.nextInt(3) == 0 ? TemplateConstraint.GAP : 2 + rnd.nextInt(v - 2);
                    }
                    pattern[rnd.nextInt(len)] = 2 + rnd.nextInt(v - 2);
                    int runStart = 0;
                    for (int k = 0; k <= len; k++) {
                        if (k == len || pattern[k] == TemplateConstraint.GAP) {
                            if (k > runStart) {
                                required.add(Arrays.copyOfRange(pattern, runStart, k));
                            }
                            runStart = k + 1;
                        }
                    }
                    b.add(new TemplateConstraint(pattern));
                    break;
                }
            }
        }
        if (rnd.nextBoolean()) {
            int[] ban = randomPhrase(rnd, v, 2);
            boolean clash = false;
            for (int[] r : required) {
                clash |= contains(r, ban);
            }
            if (!clash) {
                b.ban(new BannedPhrase(ban));
            }
        }
        return b.build();
    }

    static boolean contains(int[] hay, int[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(hay, i, i + needle.length), needle)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- independent (naive) constraint check

    /** Earliest end (exclusive) of an occurrence of any of the patterns in g (GAP matches anything), or -1. */
    static int earliestEnd(int[] g, int[]... patterns) {
        for (int end = 1; end <= g.length; end++) {
            for (int[] p : patterns) {
                if (p.length <= end && windowMatches(g, end - p.length, p)) {
                    return end;
                }
            }
        }
        return -1;
    }

    static boolean windowMatches(int[] g, int start, int[] p) {
        for (int k = 0; k < p.length; k++) {
            if (p[k] != TemplateConstraint.GAP && g[start + k] != p[k]) {
                return false;
            }
        }
        return true;
    }

    static boolean naiveSatisfied(Constraint c, int[] g) {
        if (c instanceof PhrasalConstraint p) {
            return earliestEnd(g, p.tokens()) >= 0;
        }
        if (c instanceof DisjunctiveConstraint d) {
            return earliestEnd(g, d.options()) >= 0;
        }
        if (c instanceof TemplateConstraint t) {
            return earliestEnd(g, t.pattern()) >= 0;
        }
        OrderedConstraint o = (OrderedConstraint) c;
        int from = 0;
        for (int[] part : o.phrases()) {
            int e = earliestEnd(Arrays.copyOfRange(g, from, g.length), part);
            if (e < 0) {
                return false;
            }
            from += e;
        }
        return true;
    }

    static boolean naiveSatisfied(ConstraintSet set, int[] g) {
        for (Constraint c : set.required()) {
            if (!naiveSatisfied(c, g)) {
                return false;
            }
        }
        for (BannedPhrase b : set.banned()) {
            if (contains(g, b.tokens())) {
                return false;
            }
        }
        return true;
    }

    /** The span must lie in the generated part and itself satisfy the constraint, bounded by it. */
    static void assertSpan(Constraint c, int[] tokens, int promptLength, ConstraintMatch m) {
        assertTrue(m.start() >= promptLength && m.end() <= tokens.length && m.start() < m.end(), "span " + m);
        int[] span = Arrays.copyOfRange(tokens, m.start(), m.end());
        if (c instanceof PhrasalConstraint p) {
            assertArrayEquals(p.tokens(), span, "phrase span");
        } else if (c instanceof DisjunctiveConstraint d) {
            assertTrue(Arrays.stream(d.options()).anyMatch(o -> Arrays.equals(o, span)), "option span");
        } else if (c instanceof TemplateConstraint t) {
            assertEquals(t.pattern().length, span.length);
            assertTrue(windowMatches(span, 0, t.pattern()), "template span");
        } else {
            int[][] parts = ((OrderedConstraint) c).phrases();
            assertTrue(naiveSatisfied(c, span), "ordered span");
            assertArrayEquals(parts[0], Arrays.copyOfRange(span, 0, parts[0].length), "ordered span start");
            int[] lastPart = parts[parts.length - 1];
            assertArrayEquals(lastPart, Arrays.copyOfRange(span, span.length - lastPart.length, span.length));
        }
        // The reported match is the first one: no occurrence ends earlier.
        int[] g = Arrays.copyOfRange(tokens, promptLength, tokens.length);
        int firstEnd = -1;
        for (int e = 1; e <= g.length && firstEnd < 0; e++) {
            if (naiveSatisfied(c, Arrays.copyOfRange(g, 0, e))) {
                firstEnd = e;
            }
        }
        assertEquals(promptLength + firstEnd, m.end(), "match ends at the first occurrence");
    }

    static double recomputedScore(BigramModel m, int[] tokens, int promptLength, double lengthPenalty) {
        double sum = 0;
        for (int i = promptLength; i < tokens.length; i++) {
            sum += m.logProbsAfter(tokens[i - 1])[tokens[i]];
        }
        return sum / Math.pow(tokens.length - promptLength, lengthPenalty);
    }

    static boolean repeatsNgram(int[] seq, int n) {
        if (n <= 0) {
            return false;
        }
        for (int i = 0; i + n <= seq.length; i++) {
            for (int j = i + 1; j + n <= seq.length; j++) {
                if (Arrays.equals(Arrays.copyOfRange(seq, i, i + n), Arrays.copyOfRange(seq, j, j + n))) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- exhaustive search

    static final class Best {
        double score = Double.NEGATIVE_INFINITY;
        int[] seq;
    }

    static void enumerate(BigramModel m, int[] prompt, ConstraintSet set, BeamSearchConfig cfg, int maxNew,
            int[] g, int len, double sum, Best best) {
        int v = m.vocabSize();
        for (int t = 0; t < v; t++) {
            if (t == PAD) {
                continue;
            }
            g[len] = t;
            double s = sum + m.logProbsAfter(len == 0 ? prompt[prompt.length - 1] : g[len - 1])[t];
            int[] gen = Arrays.copyOf(g, len + 1);
            int[] full = new int[prompt.length + len + 1];
            System.arraycopy(prompt, 0, full, 0, prompt.length);
            System.arraycopy(gen, 0, full, prompt.length, len + 1);
            if (repeatsNgram(full, cfg.noRepeatNgram())) {
                continue;
            }
            if (t == EOS) {
                if (prompt.length + len >= cfg.minLength() && naiveSatisfied(set, gen)) {
                    consider(best, full, s / Math.pow(len + 1, cfg.lengthPenalty()));
                }
                continue;
            }
            if (set.banned().stream().anyMatch(b -> contains(gen, b.tokens()))) {
                continue;
            }
            if (len + 1 == maxNew) {
                if (naiveSatisfied(set, gen)) {
                    consider(best, full, s / Math.pow(len + 1, cfg.lengthPenalty()));
                }
                continue;
            }
            enumerate(m, prompt, set, cfg, maxNew, g, len + 1, s, best);
        }
    }

    static void consider(Best best, int[] seq, double score) {
        if (score > best.score) {
            best.score = score;
            best.seq = seq;
        }
    }

    @Test
    void fullBeamsFindTheBestConstrainedSequence() {
        fullBeams(c -> c.withLookahead(0, 0));
    }

    @Test
    void fullBeamsFindTheBestConstrainedSequenceWithLookahead() {
        fullBeams(c -> c); // the defaults
        fullBeams(c -> c.withLookahead(3, 2.5));
    }

    @Test
    void smallBeamsReportHonestFlagsSpansAndScores() {
        smallBeams(c -> c.withLookahead(0, 0));
    }

    @Test
    void smallBeamsReportHonestFlagsSpansAndScoresWithLookahead() {
        smallBeams(c -> c); // the defaults
        smallBeams(c -> c.withLookahead(3, 2.5));
    }

    static void fullBeams(UnaryOperator<BeamSearchConfig> variant) {
        Random rnd = new Random(20261122L);
        int found = 0;
        for (int trial = 0; trial < 60; trial++) {
            int v = 4 + rnd.nextInt(3); // 2 specials + 2..4 words
            BigramModel m = randomModel(rnd, v);
            int maxNew = 3 + rnd.nextInt(2);
            int[] prompt = randomPhrase(rnd, v, 2);
            ConstraintSet set = randomSet(rnd, v, maxNew);
            double lp = new double[] {1.0, 0.0, 2.0, -0.5}[rnd.nextInt(4)];
            int minLength = rnd.nextInt(3) == 0 ? prompt.length + 2 : 0;
            int noRepeat = rnd.nextInt(4) == 0 ? 2 : 0;
            int beams = 1;
            for (int k = 0; k < maxNew; k++) {
                beams *= v - 1;
            }
            BeamSearchConfig cfg = variant.apply(new BeamSearchConfig(SearchMode.STRICT, beams, null, maxNew, minLength,
                    lp, EarlyStopping.NEVER, 1, noRepeat));
            Best best = new Best();
            enumerate(m, prompt, set, cfg, maxNew, new int[maxNew], 0, 0.0, best);
            List<TextOutput> out = BeamSearch.generate(m, List.of(prompt), List.of(set), cfg, null);
            assertEquals(1, out.size());
            TextOutput o = out.get(0);
            String where = "trial " + trial + " set " + set.required() + " bans " + set.banned();
            if (best.seq == null) {
                assertFalse(o.satisfied(), where + ": nothing satisfies the constraints, yet the output claims to");
                continue;
            }
            found++;
            assertTrue(o.satisfied(), where);
            assertEquals(best.score, o.score(), 1e-9, where);
            // Floor-probability tokens tie, so another sequence may share the best score: check that the output
            // is itself a valid constrained sequence with exactly that score.
            int[] g = Arrays.copyOfRange(o.tokens(), prompt.length, o.tokens().length);
            int[] text = g[g.length - 1] == EOS ? Arrays.copyOf(g, g.length - 1) : g;
            assertTrue(naiveSatisfied(set, text), where);
            assertEquals(best.score, recomputedScore(m, o.tokens(), prompt.length, lp), 1e-9, where);
        }
        assertTrue(found > 30, "most random cases have a solution: " + found);
    }

    static void smallBeams(UnaryOperator<BeamSearchConfig> variant) {
        Random rnd = new Random(7L);
        int satisfied = 0;
        for (int trial = 0; trial < 150; trial++) {
            int v = 5 + rnd.nextInt(20);
            BigramModel m = randomModel(rnd, v);
            int maxNew = 4 + rnd.nextInt(8);
            List<int[]> prompts = new ArrayList<>();
            List<ConstraintSet> sets = new ArrayList<>();
            for (int p = 0; p < 1 + rnd.nextInt(3); p++) {
                prompts.add(randomPhrase(rnd, v, 3));
                sets.add(randomSet(rnd, v, maxNew));
            }
            double lp = 0.5 + rnd.nextDouble();
            int beams = 1 + rnd.nextInt(4);
            EarlyStopping es = EarlyStopping.values()[rnd.nextInt(3)];
            BeamSearchConfig cfg = variant.apply(new BeamSearchConfig(SearchMode.STRICT, beams, null, maxNew, 0, lp, es,
                    1 + rnd.nextInt(beams), rnd.nextInt(3) == 0 ? 3 : 0));
            List<TextOutput> out = BeamSearch.generate(m, prompts, sets, cfg, null);
            for (TextOutput o : out) {
                ConstraintSet set = sets.get(o.prompt());
                int pl = o.promptLength();
                int[] g = Arrays.copyOfRange(o.tokens(), pl, o.tokens().length);
                int[] text = g.length > 0 && g[g.length - 1] == EOS ? Arrays.copyOf(g, g.length - 1) : g;
                assertArrayEquals(prompts.get(o.prompt()), Arrays.copyOf(o.tokens(), pl));
                assertEquals(naiveSatisfied(set, text), o.satisfied(), "flag of " + Arrays.toString(o.tokens()));
                assertEquals(recomputedScore(m, o.tokens(), pl, lp), o.score(), 1e-9, "score");
                assertTrue(g.length <= maxNew, "length");
                for (int i = 0; i < g.length - 1; i++) {
                    assertTrue(g[i] != EOS && g[i] != PAD, "EOS or pad inside the text");
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < set.required().size(); i++) {
                    if (naiveSatisfied(set.required().get(i), text)) {
                        expected.add(set.requiredNumber(i));
                    }
                }
                assertEquals(expected, o.matches().stream().map(ConstraintMatch::constraint).toList(), "matched set");
                for (ConstraintMatch match : o.matches()) {
                    int idx = -1;
                    for (int i = 0; i < set.required().size(); i++) {
                        if (set.requiredNumber(i) == match.constraint()) {
                            idx = i;
                        }
                    }
                    assertSpan(set.required().get(idx), o.tokens(), pl, match);
                }
                if (g.length > 0 && g[g.length - 1] == EOS) {
                    assertTrue(o.satisfied(), "EOS only once satisfied");
                }
                satisfied += o.satisfied() ? 1 : 0;
            }
        }
        assertTrue(satisfied > 100, "most outputs satisfy their constraints: " + satisfied);
    }
}
