package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.PhrasalConstraint;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue #16, classes 5 and 8: messages say what is wrong in a few words, however large the input. */
class MessageShapeTest {
    @Test
    void aHugePhraseIsSummarisedNotPrintedTokenByToken() {
        int[] tokens = new int[10_001];
        Arrays.fill(tokens, 2);
        String label = String.join(" ", java.util.Collections.nCopies(10_001, "dog"));
        ConstraintSet set = ConstraintSet.builder().add(new PhrasalConstraint(tokens), label).build();
        String m = assertThrows(AtelierException.class, () -> set.checkFits(30, "prompt 0")).getMessage();
        assertTrue(m.contains("needs at least 10001 generated tokens, but only 30 may be generated"), m);
        assertTrue(m.length() < 600, "a short message, not " + m.length() + " characters");
        assertTrue(m.contains("(40003 characters)"), m);
    }

    @Test
    void aFileNameThatCannotBeAPathSaysWhy() {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> AtelierCommand.path("a\0b.png"));
        assertTrue(e.getMessage().contains("contains a NUL character"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        assertEquals(java.nio.file.Path.of("ok.png"), AtelierCommand.path("ok.png"));
    }
}
