package dev.atelier.base;

import dev.atelier.AtelierException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader sees either the old content or the new one, never half of it, and so that
 * the write never reaches anything but the regular file it was told to write.
 *
 * <p>The new content goes to a temporary sibling {@code .NAME.PID-RANDOM.tmp}, which is then renamed over
 * the target. A rename replaces whatever the name points at, so the target is checked first
 * ({@link #checkTarget}): an existing symbolic link, folder, device, FIFO or socket is refused (renaming over
 * {@code /dev/null} once replaced the machine's device node), and so is a write-protected file. An existing
 * file keeps its permissions (a private 0600 file stays private) and, where allowed, its owner and group.
 * Temporaries left by a process that no longer runs (a SIGKILL between write and rename) are deleted on the
 * next write of the same target, or by {@link #cleanStale}.
 */
public final class AtomicFiles {
    /** Temporaries without a readable process id (older versions) are stale after this long. */
    private static final Duration ORPHAN_AGE = Duration.ofHours(1);

    private AtomicFiles() {
    }

    /** Something that writes the whole content to a stream. */
    @FunctionalInterface
    public interface Writer {
        /** @param out the stream to fill; closed by the caller */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes to a temporary file next to {@code target}, then moves it over {@code target}.
     *
     * @param target the regular file to create or replace; its parent directories are created
     * @param writer fills the temporary file
     * @throws AtelierException if the target is not a file this may replace (see {@link #checkTarget})
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = checkTarget(target);
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        cleanStale(abs);
        PosixFileAttributes old = posix(abs);
        String prefix = "." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-";
        Path tmp = null;
        try {
            OutputStream created = null;
            while (created == null) {
                // Not Files.createTempFile: it makes the file owner-only (0600), and the move would give the
                // user's output those permissions. CREATE_NEW gives the usual ones (0666 less the umask).
                tmp = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    created = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    tmp = null;
                }
            }
            try (OutputStream out = created) {
                writer.write(out);
            }
            if (old != null) {
                keepOwnership(tmp, old);
            }
            checkTarget(abs); // again, just before the rename: the target may have changed while writing
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes {@code bytes} atomically to {@code target}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Checks that {@code target} names a file this class may create or replace: a non-empty name that is
     * absent, or an existing regular file (not a link) that is not write-protected.
     *
     * @return the absolute, normalised target
     * @throws AtelierException naming what the target is and what to give instead
     */
    public static Path checkTarget(Path target) {
        if (target == null || target.toString().isBlank()) {
            throw new AtelierException("No output file name was given (the name is empty). Give a file name, "
                    + "e.g. out.png.");
        }
        Path abs = target.toAbsolutePath().normalize();
        if (abs.getFileName() == null || abs.getParent() == null) {
            throw new AtelierException("The output " + target + " is not a file name. Give a file name, e.g. out.png.");
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return abs;
        } catch (IOException e) {
            throw new AtelierException("The output " + target + " cannot be examined (" + AtelierException.reason(e) + "). "
                    + "Check the folder's permissions, or give another file name.", e);
        }
        String what = a.isSymbolicLink() ? "a symbolic link" : a.isDirectory() ? "a folder"
                : a.isOther() ? "a device, pipe or socket" : null;
        if (what != null) {
            throw new AtelierException("The output " + target + " is " + what + ", not a regular file; Atelier writes "
                    + "only regular files and never replaces or writes through anything else. Give the name of a "
                    + "new or existing regular file.");
        }
        PosixFileAttributes p = posix(abs);
        boolean protectedFile = p != null ? !p.permissions().contains(PosixFilePermission.OWNER_WRITE)
                : !Files.isWritable(abs);
        if (protectedFile) {
            throw new AtelierException("The output " + target + " is write-protected, so Atelier leaves it as it is. "
                    + "Make it writable (chmod u+w) if it should be replaced, or give another file name.");
        }
        return abs;
    }

    /**
     * Deletes temporaries of earlier writes of {@code target} whose process no longer runs (left by a kill
     * between write and rename). Temporaries of live processes (concurrent writers) are left alone.
     *
     * @return how many were deleted
     */
    public static int cleanStale(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = "." + abs.getFileName() + ".";
        int deleted = 0;
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : siblings) {
                String middle = p.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
                if (isStale(p, middle) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    deleted++;
                }
            }
        } catch (IOException e) {
            // cleaning is best effort: a temporary that cannot be listed or deleted does no harm
        }
        return deleted;
    }

    private static boolean isStale(Path tmp, String middle) throws IOException {
        int dash = middle.indexOf('-');
        if (dash > 0) {
            try {
                long pid = Long.parseLong(middle.substring(0, dash));
                return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
            } catch (NumberFormatException e) {
                // fall through: a name without a process id
            }
        }
        FileTime modified = Files.getLastModifiedTime(tmp, LinkOption.NOFOLLOW_LINKS);
        return modified.toInstant().isBefore(Instant.now().minus(ORPHAN_AGE));
    }

    private static PosixFileAttributes posix(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return null;
        }
        try {
            return view.readAttributes();
        } catch (IOException e) {
            return null;
        }
    }

    private static void keepOwnership(Path tmp, PosixFileAttributes old) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        try {
            if (!old.owner().equals(Files.getOwner(tmp))) {
                view.setOwner(old.owner());
            }
            view.setGroup(old.group());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // only a privileged process may give a file away; the permissions below still hold
        }
        view.setPermissions(old.permissions());
    }
}
