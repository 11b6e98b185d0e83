package dev.atelier.text;

import dev.atelier.text.search.BeamSearch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.ConstraintTracker;
import dev.atelier.text.constraint.PhrasalConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lookahead estimate against its definition computed by hand on a bigram model, and token healing against
 * an exhaustive search over the allowed first tokens.
 */
class LookaheadAndHealingTest {
    static final int EOS = 0;
    static final int PAD = 1;
    static final int X = 2;
    static final int A = 3;
    static final int B = 4;
    static final int C = 5;

    /** x → b is likely, b → a very likely, a → b likely: the greedy path from x is b a b. */
    static BigramModel lookaheadModel() {
        return new BigramModel(List.of("<eos>", "<pad>", "x", "a", "b", "c"), EOS, PAD, 0.001, Map.of(
                X, Map.of(C, 0.05, A, 0.05, X, 0.1, B, 0.5, EOS, 0.3),
                B, Map.of(A, 0.9, X, 0.1),
                A, Map.of(B, 0.6, X, 0.3, EOS, 0.1)));
    }

    @Test
    void theEstimateSumsEachUnmetConstraintsBestWayAlongTheGreedyPath() {
        BigramModel m = lookaheadModel();
        // Constraints: the phrase "a b" and the word "c"; nothing met yet, so a advances the first, c the second.
        ConstraintSet set = ConstraintSet.builder().add(new PhrasalConstraint(new int[] {A, B}))
                .add(new PhrasalConstraint(new int[] {C})).build();
        ConstraintTracker open = new ConstraintTracker(set);
        ConstraintTracker done = new ConstraintTracker(set);
        for (int t : new int[] {A, B, C}) {
            done.accept(t);
        }
        ConstraintTracker half = new ConstraintTracker(set); // "c" met, "a b" not started
        half.accept(C);
        float[] afterX = m.logProbsAfter(X);
        float[] afterB = m.logProbsAfter(B);
        float[] afterA = m.logProbsAfter(A);
        // Per constraint, the best log-probability of the way to its next token: the greedy path from x is b
        // (no progress), then a (starts "a b", whose next token is then b).
        double ab1 = afterX[A];
        double ab2 = Math.max(ab1, afterX[B] + afterB[A]);
        double ab3 = Math.max(ab2, afterX[B] + afterB[A] + afterA[B]);
        double c1 = afterX[C];
        double c2 = Math.max(c1, afterX[B] + afterB[C]);
        double c3 = Math.max(c2, afterX[B] + afterB[A] + afterA[C]);
        double[] both = {ab1 + c1, ab2 + c2, ab3 + c3};
        double[] abOnly = {ab1, ab2, ab3};
        for (int depth = 1; depth <= 3; depth++) {
            try (LanguageModel.Decoder d = m.start(new int[][] {{X}, {A}})) {
                ConstraintTracker[] trackers = {open, done, open, half, open};
                int[] rows = {0, 1, 0, 0, 0};
                int[] left = {9, 9, 3, 9, 2};
                double[][] depth1 = new double[1][];
                double[] h = new Lookahead(depth, EOS, PAD).estimate(d, d.logProbs(), rows, trackers, left, (low, high) -> {
                    depth1[0] = low;
                    for (int i = 0; i < low.length; i++) {
                        assertTrue(low[i] <= high[i], "bounds");
                    }
                    return new boolean[] {true, true, true, true, true};
                });
                assertEquals(both[depth - 1], h[0], 1e-6, "depth " + depth);
                assertEquals(0.0, h[1], "nothing left to meet");
                assertEquals(h[0], h[2], 1e-12, "3 tokens left are enough for 3 constraint tokens");
                assertEquals(abOnly[depth - 1], h[3], 1e-6, "a met constraint costs nothing more");
                assertEquals(Lookahead.UNREACHABLE, h[4], "2 tokens left cannot hold a b and c");
                if (depth > 1) {
                    assertEquals(both[0], depth1[0][0], 1e-6, "the rollout is asked about with the depth-1 estimates");
                    // a candidate not worth rolling out keeps its depth-1 estimate
                    double[] kept = new Lookahead(depth, EOS, PAD).estimate(d, d.logProbs(), rows, trackers, left,
                            (low, high) -> new boolean[] {false, true, true, true, true});
                    assertEquals(both[0], kept[0], 1e-6);
                    assertEquals(h[2], kept[2], 1e-12);
                }
            }
        }
        assertTrue(ab2 > ab1, "the rollout finds the cheaper way to the phrase");
    }

    /** Pieces of a subword vocabulary: the decoded text is their concatenation. */
    static final List<String> PIECES = List.of("<eos>", "<pad>", "The", " child", " children", " childhood", "hood",
            " was", " were", " here", " there");

    static final class PieceTokenizer implements Tokenizer {
        @Override
        public int[] encodePrompt(String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int[] encodePhrase(String phrase) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                sb.append(PIECES.get(id));
            }
            return sb.toString();
        }

        @Override
        public int[] tokensExtending(int token) {
            List<Integer> out = new ArrayList<>();
            for (int i = 2; i < PIECES.size(); i++) {
                if (PIECES.get(i).startsWith(PIECES.get(token))) {
                    out.add(i);
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** After " child" the model expects "hood"; " children were here" is the likelier text overall. */
    static BigramModel healingModel() {
        return new BigramModel(PIECES, EOS, PAD, 0.001, Map.of(
                2, Map.of(3, 0.3, 4, 0.6, 5, 0.1),
                3, Map.of(6, 0.9, 7, 0.1),
                4, Map.of(8, 0.9, 7, 0.1),
                5, Map.of(7, 0.5, 8, 0.5),
                6, Map.of(7, 0.3, 8, 0.3, 9, 0.4),
                7, Map.of(9, 0.5, 10, 0.5),
                8, Map.of(9, 0.5, 10, 0.5),
                9, Map.of(0, 1.0),
                10, Map.of(0, 1.0)));
    }

    @Test
    void healingReChoosesTheLastPromptTokenAndFindsTheBestHealedSequence() {
        BigramModel m = healingModel();
        int[] prompt = {2, 3}; // "The child"
        int maxNew = 3;
        for (int depth : new int[] {0, 2}) {
        for (ConstraintSet set : List.of(ConstraintSet.NONE,
                ConstraintSet.builder().add(new PhrasalConstraint(new int[] {4})).build(),
                ConstraintSet.builder().add(new PhrasalConstraint(new int[] {10})).build())) {
            // EOS blocked until the end, so every output has the same length: enumerate the healed sequences.
            BeamSearchConfig cfg = new BeamSearchConfig(SearchMode.STRICT, 1000, null, maxNew, 1 + maxNew + 1, 1.0,
                    EarlyStopping.NEVER, 1, 0, depth, 1.0, true);
            List<TextOutput> out = BeamSearch.generate(m, new PieceTokenizer(), List.of(prompt), List.of(set), cfg, null,
                    null);
            TextOutput o = out.get(0);
            // the backed-up token is generated again; the prompt's ids start the output when it is the same one
            assertEquals(o.tokens()[1] == prompt[1] ? 2 : 1, o.promptLength());
            assertTrue(new PieceTokenizer().decode(o.tokens()).startsWith("The child"));
            double best = Double.NEGATIVE_INFINITY;
            int[] bestSeq = null;
            for (int first : new int[] {3, 4, 5}) {
                for (int t2 = 2; t2 < PIECES.size(); t2++) {
                    for (int t3 = 2; t3 < PIECES.size(); t3++) {
                        for (int t4 = 2; t4 < PIECES.size(); t4++) {
                            int[] seq = {2, first, t2, t3, t4};
                            // constraints are matched after the healed token
                            if (!StrictBruteForceTest.naiveSatisfied(set, Arrays.copyOfRange(seq, 2, 5))) {
                                continue;
                            }
                            double s = StrictBruteForceTest.recomputedScore(m, seq, 1, 1.0);
                            if (s > best) {
                                best = s;
                                bestSeq = seq;
                            }
                        }
                    }
                }
            }
            if (bestSeq == null) {
                assertTrue(!o.satisfied());
                continue;
            }
            assertTrue(o.satisfied(), set.toString());
            assertEquals(best, o.score(), 1e-9);
            assertEquals(best, StrictBruteForceTest.recomputedScore(m, o.tokens(), 1, 1.0), 1e-9);
            o.matches().forEach(match -> assertTrue(match.start() >= 2, "a constraint never matches the healed token"));
        }
        }
        // Without healing the prompt keeps " child" and continues with "hood".
        BeamSearchConfig off = new BeamSearchConfig(SearchMode.STRICT, 4, null, 2, 0, 1.0, EarlyStopping.FALSE, 1, 0,
                0, 0, false);
        TextOutput plain = BeamSearch.generate(m, new PieceTokenizer(), List.of(prompt), List.of(ConstraintSet.NONE),
                off, null, null).get(0);
        assertArrayEquals(new int[] {2, 3, 6}, Arrays.copyOf(plain.tokens(), 3));
        TextOutput healed = BeamSearch.generate(m, new PieceTokenizer(), List.of(prompt), List.of(ConstraintSet.NONE),
                off.withTokenHealing(true), null, null).get(0);
        assertArrayEquals(new int[] {2, 4, 8}, Arrays.copyOf(healed.tokens(), 3), "The children were");
        assertEquals(1, healed.promptLength(), "only \"The\" of the prompt's ids starts the output");
        // A healed search that keeps the prompt's own last token reports the whole prompt, as without healing:
        // "hood" must come, and only " child" is likely before it.
        TextOutput kept = BeamSearch.generate(m, new PieceTokenizer(), List.of(prompt),
                List.of(ConstraintSet.builder().add(new PhrasalConstraint(new int[] {6})).build()),
                off.withTokenHealing(true), null, null).get(0);
        assertArrayEquals(new int[] {2, 3, 6}, Arrays.copyOf(kept.tokens(), 3), "The childhood");
        assertEquals(2, kept.promptLength());
        assertEquals(2, kept.matches().get(0).start());
    }
}
