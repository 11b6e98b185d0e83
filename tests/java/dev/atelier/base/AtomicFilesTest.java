package dev.atelier.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    void writtenFilesGetTheUsualPermissionsNotOwnerOnly(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = dir.resolve("plain.bin");
        Files.write(plain, new byte[] {1});
        Path atomic = dir.resolve("atomic.bin");
        AtomicFiles.write(atomic, new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic),
                "the same permissions as a file written directly (0666 less the umask)");
    }

    @Test
    void createsMissingFoldersAndReplacesContent(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("a/b/c.txt");
        AtomicFiles.write(target, "one".getBytes());
        AtomicFiles.write(target, "two".getBytes());
        assertEquals("two", Files.readString(target));
    }
}
