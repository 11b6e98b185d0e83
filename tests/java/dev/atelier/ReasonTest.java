package dev.atelier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.EOFException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

/**
 * Issue #16, class 4: the reason quoted in a message is words, not an exception's class name, and for a
 * TorchScript interpreter trace it is the model's own error line.
 */
class ReasonTest {
    @Test
    void reasonsAreWordsWithoutClassNames() {
        assertEquals("it does not exist", AtelierException.reason(new NoSuchFileException("/x")));
        assertEquals("permission denied", AtelierException.reason(new AccessDeniedException("/x")));
        assertEquals("the text is not UTF-8", AtelierException.reason(new MalformedInputException(1)));
        assertEquals("the file ends early: it is empty or cut short", AtelierException.reason(new EOFException()));
        assertEquals("Unsupported Image Type", AtelierException.reason(new IIOException("Unsupported Image Type")));
        for (Throwable t : new Throwable[] {new NoSuchFileException("a"), new MalformedInputException(3),
            new IIOException("bad\nsecond line"), new RuntimeException(), new OutOfMemoryError()}) {
            String r = AtelierException.reason(t);
            assertFalse(r.contains("Exception") || r.contains("Error") || r.contains("\n"), r);
        }
    }

    @Test
    void aTorchScriptTraceGivesTheModelsOwnErrorLine() {
        String trace = "The following operation failed in the TorchScript interpreter.\n"
                + "Traceback of TorchScript, serialized code (most recent call last):\n"
                + "  File \"code/__torch__.py\", line 12, in forward\n"
                + "    _0 = torch.conv2d(x, self.weight)\n"
                + "         ~~~~~~~~~~~~ <--- HERE\n"
                + "RuntimeError: Given groups=1, weight of size [8, 3, 3, 3], expected input[2, 1, 8, 8] to have 3 "
                + "channels, but got 1 channels instead\n";
        assertEquals("RuntimeError: Given groups=1, weight of size [8, 3, 3, 3], expected input[2, 1, 8, 8] to have 3 "
                + "channels, but got 1 channels instead", AtelierException.reason(new RuntimeException(trace)));
    }

    /**
     * A file name the locale cannot decode (Java under the C/POSIX locale with a non-ASCII name) reaches the user as
     * advice to use a UTF-8 locale, from any job (the lane's catch-all), never as InvalidPathException; a NUL
     * character is named as such.
     */
    @Test
    void anUndecodableFileNameGivesLocaleAdviceFromAnyJob() {
        String m = dev.atelier.runtime.InferenceLane.describe(new java.nio.file.InvalidPathException(
                "/tmp/mod\u00e8le", "Malformed input or input contains unmappable characters"));
        assertFalse(m.contains("Exception"), m);
        org.junit.jupiter.api.Assertions.assertTrue(m.contains("/tmp/mod\u00e8le") && m.contains("LC_ALL=C.UTF-8"), m);
        String nul = dev.atelier.runtime.InferenceLane.describe(new java.nio.file.InvalidPathException("a\0b", "Nul"));
        org.junit.jupiter.api.Assertions.assertTrue(nul.contains("contains a NUL character"), nul);
    }
}
