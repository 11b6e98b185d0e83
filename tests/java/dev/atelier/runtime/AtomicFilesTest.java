package dev.atelier.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void aWriterThatFailsHalfwayLeavesTheOldContentAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out.bin");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[] {9, 9});
            throw new IOException("disk full");
        }));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void aNewFileIsReadableByOthersAndAReplacedFileKeepsItsPermissions(@TempDir Path dir) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path fresh = dir.resolve("fresh.png");
        AtomicFiles.write(fresh, new byte[] {1});
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fresh)));
        Path owned = dir.resolve("owned.png");
        Files.write(owned, new byte[] {0});
        Files.setPosixFilePermissions(owned, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(owned, new byte[] {2});
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(owned)));
    }

    @Test
    void createsMissingFoldersAndReplacesContent(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("a/b/c.txt");
        AtomicFiles.write(target, "one".getBytes());
        AtomicFiles.write(target, "two".getBytes());
        assertEquals("two", Files.readString(target));
    }
}
