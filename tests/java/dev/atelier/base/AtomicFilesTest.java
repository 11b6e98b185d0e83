package dev.atelier.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atelier.AtelierException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.Set;
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

    // ---- hostile targets (issue #16, class 1): all made here in a temporary folder, never system files ----

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static Path fifo(Path dir, String name) throws Exception {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is available");
        return p;
    }

    private static List<Path> others(Path dir, Path target) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.equals(target)).toList();
        }
    }

    @Test
    void aFifoIsRefusedAndStaysAFifo(@TempDir Path dir) throws Exception {
        Path fifo = fifo(dir, "pipe.png");
        AtelierException e = assertThrows(AtelierException.class, () -> AtomicFiles.write(fifo, new byte[] {1}));
        assertTrue(e.getMessage().contains("device, pipe or socket"), e.getMessage());
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther(), "still a FIFO");
        assertEquals(List.of(), others(dir, fifo), "no temporary left");
    }

    @Test
    void aSymlinkIsRefusedAndItsTargetUntouched(@TempDir Path dir) throws IOException {
        Path real = dir.resolve("real.png");
        Files.write(real, new byte[] {7, 7});
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), real);
        AtelierException e = assertThrows(AtelierException.class, () -> AtomicFiles.write(link, new byte[] {1}));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(new byte[] {7, 7}, Files.readAllBytes(real));
        // a dangling link too: renaming over it would replace the link, writing through it would create its target
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.png"), dir.resolve("nowhere.png"));
        assertThrows(AtelierException.class, () -> AtomicFiles.write(dangling, new byte[] {1}));
        assertFalse(Files.exists(dir.resolve("nowhere.png"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aFolderAndAnEmptyNameAreRefused(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub.png"));
        assertTrue(assertThrows(AtelierException.class, () -> AtomicFiles.write(sub, new byte[] {1}))
                .getMessage().contains("a folder"));
        assertTrue(assertThrows(AtelierException.class, () -> AtomicFiles.write(Path.of(""), new byte[] {1}))
                .getMessage().contains("empty"));
        assertEquals(List.of(sub), others(dir, null));
    }

    @Test
    void aWriteProtectedFileIsLeftAsItIs(@TempDir Path dir) throws IOException {
        assumeTrue(posix(dir));
        Path ro = dir.resolve("ro.png");
        Files.write(ro, new byte[] {5});
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
        AtelierException e = assertThrows(AtelierException.class, () -> AtomicFiles.write(ro, new byte[] {1}));
        assertTrue(e.getMessage().contains("write-protected"), e.getMessage());
        assertArrayEquals(new byte[] {5}, Files.readAllBytes(ro));
    }

    @Test
    void replacingKeepsTheTargetsPermissionsForAnyMode(@TempDir Path dir) throws IOException {
        assumeTrue(posix(dir));
        Random random = new Random(16);
        Path target = dir.resolve("kept.bin");
        for (int trial = 0; trial < 40; trial++) {
            // a random mode with owner write (without it the file is write-protected and refused)
            Set<PosixFilePermission> mode = new java.util.HashSet<>(Set.of(PosixFilePermission.OWNER_WRITE));
            for (PosixFilePermission p : PosixFilePermission.values()) {
                if (random.nextBoolean()) {
                    mode.add(p);
                }
            }
            Files.deleteIfExists(target);
            Files.write(target, new byte[] {0});
            Files.setPosixFilePermissions(target, mode);
            byte[] content = new byte[random.nextInt(2000)];
            random.nextBytes(content);
            AtomicFiles.write(target, content);
            assertEquals(mode, Files.getPosixFilePermissions(target), "mode kept, trial " + trial);
            assertArrayEquals(content, Files.readAllBytes(target));
            assertEquals(List.of(), others(dir, target));
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.write(target, new byte[] {1});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)),
                "a private file stays private");
    }

    @Test
    void temporariesOfDeadProcessesAreCleanedAndThoseOfLiveOnesKept(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out.png");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stale = Files.write(dir.resolve(".out.png." + dead.pid() + "-abc.tmp"), new byte[] {1});
        Path live = Files.write(dir.resolve(".out.png." + ProcessHandle.current().pid() + "-xyz.tmp"), new byte[] {1});
        Path old = Files.write(dir.resolve(".out.png.oldformat.tmp"), new byte[] {1});
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(0));
        Path fresh = Files.write(dir.resolve(".out.png.recentformat.tmp"), new byte[] {1});
        Path otherTarget = Files.write(dir.resolve(".other.png." + dead.pid() + "-abc.tmp"), new byte[] {1});
        AtomicFiles.write(target, new byte[] {2});
        assertFalse(Files.exists(stale), "the dead writer's temporary is gone");
        assertFalse(Files.exists(old), "an old-format temporary older than an hour is gone");
        assertTrue(Files.exists(live), "a live writer's temporary stays");
        assertTrue(Files.exists(fresh), "a recent temporary without a process id stays");
        assertTrue(Files.exists(otherTarget), "another target's temporaries are not ours to clean");
    }
}
