package dev.atelier.consistency.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue #16, class 2: an IDX header that claims more images than the file holds, or images too large, is refused
 * without allocating what it claims (2 GB here).
 */
class IdxBoundsTest {
    static final Path HOSTILE = Path.of("tests/resources/hostile");

    @Test
    void headersThatClaimTooMuchAreRefused() {
        String shortFile = assertThrows(AtelierException.class,
                () -> ImageData.loadIdx(HOSTILE.resolve("idx-huge-count-images-idx3-ubyte"), null)).getMessage();
        assertTrue(shortFile.contains("shorter than its header says"), shortFile);
        String huge = assertThrows(AtelierException.class,
                () -> ImageData.loadIdx(HOSTILE.resolve("idx-huge-side-images-idx3-ubyte"), null)).getMessage();
        assertTrue(huge.contains("at most 512 pixels"), huge);
    }
}
