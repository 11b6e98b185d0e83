package dev.atelier.text.constraint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import dev.atelier.text.constraint.Constraint.Update;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made cases for every constraint kind, the tracker and the self-check. */
class ConstraintStateMachineTest {
    private static final int G = TemplateConstraint.GAP;

    private static Update[] feed(Constraint c, int... tokens) {
        Update[] out = new Update[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = c.update(tokens[i]);
        }
        return out;
    }

    @Test
    void phrasalStepsCompletesAndReexaminesABreakingToken() {
        PhrasalConstraint c = new PhrasalConstraint(new int[] {1, 2});
        assertArrayEquals(new int[] {1}, c.advance());
        assertEquals(2, c.remaining());
        assertArrayEquals(new Update[] {Update.STEPPED, Update.RESET}, feed(c, 1, 1));
        // the second 1 broke "1 2" but started it again: 2 now completes it
        assertTrue(c.doesAdvance(2));
        assertEquals(1, c.remaining());
        assertEquals(Update.COMPLETED, c.update(2));
        assertTrue(c.isCompleted());
        assertEquals(0, c.remaining());
        assertArrayEquals(new int[0], c.advance());

        PhrasalConstraint d = new PhrasalConstraint(new int[] {1, 1, 2});
        assertArrayEquals(new Update[] {Update.STEPPED, Update.STEPPED, Update.RESET, Update.COMPLETED},
                feed(d, 1, 1, 1, 2));
        PhrasalConstraint e = new PhrasalConstraint(new int[] {1, 2});
        assertArrayEquals(new Update[] {Update.STEPPED, Update.RESET, Update.STEPPED}, feed(e, 1, 3, 1));
        assertEquals(1, e.remaining());
    }

    @Test
    void copiesAreIndependentOrFresh() {
        PhrasalConstraint c = new PhrasalConstraint(new int[] {4, 5, 6});
        c.update(4);
        Constraint same = c.copy(true);
        Constraint fresh = c.copy(false);
        assertEquals(2, same.remaining());
        assertEquals(3, fresh.remaining());
        same.update(5);
        assertEquals(2, c.remaining(), "the original did not move");
        c.reset();
        assertEquals(3, c.remaining());
    }

    @Test
    void disjunctiveStrictFindsAnyOptionIncludingPrefixesAndInnerOccurrences() {
        DisjunctiveConstraint c = new DisjunctiveConstraint(new int[][] {{1}, {1, 2}});
        assertEquals(Update.COMPLETED, c.update(1));
        assertEquals(1, c.matchLength());

        DisjunctiveConstraint inner = new DisjunctiveConstraint(new int[][] {{5, 6, 7}, {6}});
        assertArrayEquals(new int[] {5, 6}, inner.advance());
        assertEquals(3, inner.length());
        assertEquals(1, inner.minLength());
        assertEquals(Update.STEPPED, inner.update(5));
        assertEquals(Update.COMPLETED, inner.update(6), "option 6 occurs inside the path 5 6");
        assertEquals(1, inner.matchLength());

        DisjunctiveConstraint ac = new DisjunctiveConstraint(new int[][] {{1, 2, 3}, {2, 4}});
        assertArrayEquals(new Update[] {Update.STEPPED, Update.STEPPED, Update.COMPLETED}, feed(ac, 1, 2, 4),
                "1 2 4 breaks 1 2 3 but contains 2 4");
        assertEquals(2, ac.matchLength());
    }

    @Test
    void disjunctiveHfRejectsPrefixesAndSharesItsPathLikeTransformers() {
        assertThrows(AtelierException.class, () -> DisjunctiveConstraint.huggingFace(new int[][] {{1}, {1, 2}}));
        assertThrows(AtelierException.class, () -> DisjunctiveConstraint.huggingFace(new int[][] {{3}, {3}}));
        DisjunctiveConstraint c = DisjunctiveConstraint.huggingFace(new int[][] {{1, 2, 3}, {1, 3}});
        assertEquals(Update.STEPPED, c.update(1));
        assertArrayEquals(new int[] {2, 3}, c.advance());
        // transformers' stateful copy shares current_seq: stepping one copy moves the original too
        Constraint first = c.copy(true);
        assertEquals(Update.STEPPED, first.update(2));
        Constraint second = c.copy(true);
        assertEquals(Update.COMPLETED, second.update(3), "sees the shared path 1 2 and completes with 1 2 3");
        assertFalse(c.isCompleted(), "the completed flag itself is not shared");
        assertEquals(0, c.remaining(), "but remaining() follows the shared path to its leaf");
        // a breaking token resets without re-examination
        DisjunctiveConstraint d = DisjunctiveConstraint.huggingFace(new int[][] {{1, 2}});
        assertArrayEquals(new Update[] {Update.STEPPED, Update.RESET, Update.STEPPED}, feed(d, 1, 1, 1));
    }

    @Test
    void orderedNeedsItsPhrasesInOrderWithGaps() {
        OrderedConstraint c = new OrderedConstraint(new int[][] {{1}, {2, 3}});
        assertEquals(3, c.length());
        assertArrayEquals(new Update[] {Update.RESET, Update.RESET, Update.STEPPED, Update.RESET, Update.STEPPED,
            Update.COMPLETED}, feed(c, 2, 3, 1, 9, 2, 3));
        assertEquals(4, c.matchLength(), "span 1 9 2 3");
        OrderedConstraint d = new OrderedConstraint(new int[][] {{1}, {1}});
        assertArrayEquals(new Update[] {Update.STEPPED, Update.COMPLETED}, feed(d, 1, 1));
        assertEquals(2, d.matchLength());
    }

    @Test
    void templateMatchesWordsAndGaps() {
        TemplateConstraint c = new TemplateConstraint(new int[] {1, G, 3});
        assertArrayEquals(new int[] {1}, c.advance());
        c.update(1);
        assertArrayEquals(new int[0], c.advance(), "a gap: any token advances");
        assertTrue(c.doesAdvance(42));
        assertEquals(2, c.remaining());
        TemplateConstraint d = new TemplateConstraint(new int[] {1, G, 3});
        assertArrayEquals(new Update[] {Update.STEPPED, Update.STEPPED, Update.RESET, Update.COMPLETED},
                feed(d, 1, 1, 5, 3), "1 1 5 3 contains 1 _ 3 at its end");
        assertThrows(AtelierException.class, () -> new TemplateConstraint(new int[] {G, G}));
        Constraint.check(new TemplateConstraint(new int[] {G, 7, G}));
    }

    @Test
    void bannedPhraseNamesTheCompletingToken() {
        BannedPhrase b = new BannedPhrase(new int[] {1, 2});
        assertEquals(-1, b.bannedNext(0));
        int s = b.next(0, 1);
        assertEquals(2, b.bannedNext(s));
        assertEquals(2, b.next(s, 2), "the phrase appeared");
        BannedPhrase single = new BannedPhrase(new int[] {9});
        assertEquals(9, single.bannedNext(0));
    }

    @Test
    void selfCheckRejectsAConstraintThatNeverCompletes() {
        Constraint never = new Constraint() {
            @Override
            public int[] advance() {
                return new int[] {3};
            }

            @Override
            public boolean doesAdvance(int token) {
                return token == 3;
            }

            @Override
            public Update update(int token) {
                return Update.STEPPED;
            }

            @Override
            public void reset() {
            }

            @Override
            public int remaining() {
                return 1;
            }

            @Override
            public int length() {
                return 1;
            }

            @Override
            public boolean isCompleted() {
                return false;
            }

            @Override
            public Constraint copy(boolean stateful) {
                return this;
            }
        };
        AtelierException e = assertThrows(AtelierException.class, () -> Constraint.check(never));
        assertTrue(e.getMessage().contains("never completes"), e.getMessage());
        Constraint.check(new PhrasalConstraint(new int[] {1, 2, 3}));
        Constraint.check(new DisjunctiveConstraint(new int[][] {{1, 2}, {1}}));
        Constraint.check(new OrderedConstraint(new int[][] {{1}, {1, 2}}));
    }

    @Test
    void trackerFollowsEveryConstraintAndComputesBanks() {
        ConstraintSet set = ConstraintSet.builder()
                .add(new PhrasalConstraint(new int[] {1, 2, 3}))
                .ban(new BannedPhrase(new int[] {9}))
                .add(new PhrasalConstraint(new int[] {2, 3}))
                .build();
        ConstraintTracker t = new ConstraintTracker(set);
        assertEquals(0, t.bank());
        assertArrayEquals(new int[] {1, 2}, t.advanceTokens());
        assertTrue(t.isBanned(9));
        t.accept(7);
        t.accept(1);
        assertEquals(1, t.bank());
        ConstraintTracker copy = t.copy();
        t.accept(2);
        assertEquals(2, t.bank(), "both progress; the best partial counts");
        t.accept(3);
        assertTrue(t.satisfied(), "overlapping constraints are both satisfied by 1 2 3");
        assertEquals(List.of(new ConstraintMatch(0, 11, 14), new ConstraintMatch(2, 12, 14)), t.matches(10));
        assertEquals(1, copy.bank(), "the copy did not move");
        t.accept(9);
        assertFalse(t.satisfied(), "a banned phrase appeared");
    }

    @Test
    void setValidationRejectsImpossibleConstraints() {
        ConstraintSet clash = ConstraintSet.builder().add(new PhrasalConstraint(new int[] {2, 3}))
                .ban(new BannedPhrase(new int[] {2, 3})).build();
        assertThrows(AtelierException.class, () -> clash.validate(new int[] {0}, "prompt 0"));
        ConstraintSet oneOptionBanned = ConstraintSet.builder().add(new DisjunctiveConstraint(new int[][] {{2, 3}, {4}}))
                .ban(new BannedPhrase(new int[] {3})).build();
        oneOptionBanned.validate(new int[] {0}, "prompt 0"); // the option {4} can still satisfy it
        ConstraintSet everyOptionBanned = ConstraintSet.builder()
                .add(new DisjunctiveConstraint(new int[][] {{2, 3}, {4}}))
                .ban(new BannedPhrase(new int[] {3})).ban(new BannedPhrase(new int[] {4})).build();
        AtelierException all = assertThrows(AtelierException.class,
                () -> everyOptionBanned.validate(new int[] {0}, "prompt 0"));
        assertTrue(all.getMessage().contains("Every option"), all.getMessage());
        ConstraintSet withEos = ConstraintSet.builder().add(new PhrasalConstraint(new int[] {2, 0})).build();
        assertThrows(AtelierException.class, () -> withEos.validate(new int[] {0}, "prompt 0"));
        ConstraintSet longOne = ConstraintSet.builder().add(new OrderedConstraint(new int[][] {{2, 3}, {4}})).build();
        longOne.checkFits(3, "prompt 0");
        AtelierException e = assertThrows(AtelierException.class, () -> longOne.checkFits(2, "prompt 0"));
        assertTrue(e.getMessage().contains("needs at least 3"), e.getMessage());
        assertThrows(AtelierException.class, () -> new PhrasalConstraint(new int[0]));
        assertThrows(AtelierException.class, () -> new DisjunctiveConstraint(new int[][] {{1}, {}}));
    }
}
