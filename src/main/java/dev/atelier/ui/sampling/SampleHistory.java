package dev.atelier.ui.sampling;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.base.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Sampling panel's past runs, newest first, bounded to {@link #LIMIT} entries, kept in a JSON file next
 * to the settings. Each entry is the run's parameters (the same JSON a result PNG carries) and a small PNG
 * of its first image. An unreadable file reads as an empty history; it is replaced at the next run. The file
 * is written on a background thread (the FX thread never waits on the disk); reads queue behind pending writes,
 * so a history opened right after a run sees it.
 */
public final class SampleHistory {
    /** The most runs kept. */
    public static final int LIMIT = 24;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes and reads, in order; its thread ends after a second idle (it does not keep the JVM up long). */
    private static final ThreadPoolExecutor DISK = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> new Thread(r, "sampling-history"));

    static {
        DISK.allowCoreThreadTimeOut(true);
    }

    /**
     * One past run.
     *
     * @param parameters the {@link dev.atelier.consistency.SampleRequest} JSON (or an interpolation's request)
     * @param thumbnailPng the first image as PNG bytes
     * @param seconds how long the run took
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String parameters, byte[] thumbnailPng, double seconds) {
    }

    private final Path file;

    /** @param file where the history is kept (need not exist) */
    public SampleHistory(Path file) {
        this.file = file;
    }

    /** @return the stored entries, newest first; empty if there are none or the file cannot be read */
    public List<Entry> load() {
        if (file == null) {
            return new ArrayList<>();
        }
        try {
            return DISK.submit(this::read).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ArrayList<>();
        } catch (ExecutionException e) {
            return new ArrayList<>();
        }
    }

    private List<Entry> read() {
        if (!Files.isRegularFile(file)) {
            return new ArrayList<>();
        }
        try {
            List<Entry> entries = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeReference<List<Entry>>() { });
            return entries == null ? new ArrayList<>() : new ArrayList<>(entries.subList(0, Math.min(LIMIT,
                    entries.size())));
        } catch (IOException | RuntimeException e) {
            return new ArrayList<>();
        }
    }

    /**
     * Puts {@code entry} first, drops the oldest beyond {@link #LIMIT}, and writes the file atomically in the
     * background.
     *
     * @param failed told (on the writer thread) if the file cannot be written
     * @return the new list
     */
    public List<Entry> add(List<Entry> current, Entry entry, Consumer<IOException> failed) {
        List<Entry> next = new ArrayList<>(LIMIT);
        next.add(entry);
        for (Entry e : current) {
            if (next.size() == LIMIT) {
                break;
            }
            next.add(e);
        }
        if (file != null) {
            List<Entry> snapshot = List.copyOf(next);
            DISK.execute(() -> {
                try {
                    AtomicFiles.write(file, JSON.writeValueAsBytes(snapshot));
                } catch (IOException e) {
                    failed.accept(e);
                }
            });
        }
        return next;
    }
}
