package dev.atelier.text.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.text.constraint.Constraint;
import dev.atelier.text.constraint.DisjunctiveConstraint;
import dev.atelier.text.constraint.PhrasalConstraint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hf-mode list state keeps transformers' documented faults, and its bank formula. */
class HfConstraintListStateTest {
    @Test
    void breakingTokenIsNotReexaminedAndThePromptCounts() {
        List<Constraint> c = List.of(new PhrasalConstraint(new int[] {1, 2}));
        assertFalse(HfConstraintListState.completes(c, new int[] {1, 1, 2}, 3), "transformers: 1 1 2 misses 1 2");
        assertTrue(HfConstraintListState.completes(c, new int[] {1, 2, 7}, 3), "the prompt 1 2 already satisfies");
        assertTrue(HfConstraintListState.completes(c, new int[] {1, 3, 1, 2}, 4));
    }

    @Test
    void bankIsCompleteTimesMaxSeqlenPlusProgressOfTheOneInProgress() {
        List<Constraint> c = List.of(new PhrasalConstraint(new int[] {1, 2, 3}),
                DisjunctiveConstraint.huggingFace(new int[][] {{4}, {5, 6}}));
        HfConstraintListState s = new HfConstraintListState(c);
        assertArrayEquals(new int[] {1, 4, 5}, s.advance());
        s.reset(new int[] {9, 1}, 2);
        assertEquals(1, s.bank()); // (3 - remaining 2)
        assertArrayEquals(new int[] {2}, s.advance(), "only the constraint in progress is advanced");
        s.reset(new int[] {1, 2, 3}, 3);
        assertEquals(3, s.bank());
        s.reset(new int[] {1, 2, 3, 5}, 4);
        assertEquals(3 + (3 - 1), s.bank(), "disjunctive remaining uses the trie height");
        s.reset(new int[] {1, 2, 3, 5, 6}, 5);
        assertTrue(s.completed);
        HfConstraintListState copy = s.copyStateful();
        assertFalse(copy.completed, "transformers' stateful copy drops the completed flag");
        assertEquals(6, copy.bank());
    }
}
