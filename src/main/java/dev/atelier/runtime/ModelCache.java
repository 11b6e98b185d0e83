package dev.atelier.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lane's loaded models, so a model loads once per session instead of once per job. An entry is keyed by
 * what it was loaded as, the model's path, the newest modification time of its files and the device: editing
 * or replacing a model's files loads it again. Beyond a memory budget (the models' file sizes, a fair proxy
 * for their weights in memory) the least recently used models are closed. Used from the lane thread only;
 * closing the cache closes every model.
 */
public final class ModelCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    /** The default budget: 1 GiB of model files. */
    public static final long DEFAULT_BUDGET = 1L << 30;

    private record Key(String what, Path path, long modified, String device) {
    }

    private record Entry(AutoCloseable model, long bytes) {
    }

    private final long budget;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long loads;

    /** @param budgetBytes models are evicted while the cached total exceeds this (the newest always stays) */
    public ModelCache(long budgetBytes) {
        this.budget = budgetBytes;
    }

    /**
     * Returns the cached model for {@code path}, loading it first if needed. The caller must not close it.
     *
     * @param what the kind of object loaded (e.g. "consistency", "text"): the same path may load as both
     * @param path the model's file or directory (absolute)
     * @param device where it runs (part of the key)
     * @param loader loads the model
     * @return the model
     */
    public synchronized <M extends AutoCloseable> M get(String what, Path path, String device, Class<M> type,
            Function<Path, M> loader) {
        Path p = path.toAbsolutePath().normalize();
        long modified = newestModification(p);
        Key key = new Key(what, p, modified, Objects.toString(device));
        Entry e = entries.get(key);
        if (e == null) {
            // a changed copy of the same model replaces the old one at once
            for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Entry> old = it.next();
                if (old.getKey().what.equals(what) && old.getKey().path.equals(p)) {
                    it.remove();
                    closeQuietly(old.getValue().model);
                }
            }
            M model = loader.apply(p);
            loads++;
            e = new Entry(model, sizeOf(p));
            entries.put(key, e);
            evictBeyondBudget(key);
        }
        return type.cast(e.model);
    }

    /** @return how many models this cache has loaded (a cached call does not count) */
    public synchronized long loads() {
        return loads;
    }

    /** @return how many models are held now */
    public synchronized int size() {
        return entries.size();
    }

    /** Closes every model. */
    @Override
    public synchronized void close() {
        for (Entry e : entries.values()) {
            closeQuietly(e.model);
        }
        entries.clear();
    }

    private void evictBeyondBudget(Key keep) {
        long total = entries.values().stream().mapToLong(Entry::bytes).sum();
        for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext() && total > budget; ) {
            Map.Entry<Key, Entry> eldest = it.next();
            if (eldest.getKey().equals(keep)) {
                continue;
            }
            it.remove();
            total -= eldest.getValue().bytes;
            closeQuietly(eldest.getValue().model);
        }
    }

    private static void closeQuietly(AutoCloseable model) {
        try {
            model.close();
        } catch (Exception e) {
            LOG.warn("closing a cached model failed", e);
        }
    }

    /** @return the newest modification time of the file, or of the directory and the files directly in it */
    static long newestModification(Path p) {
        try {
            long t = Files.getLastModifiedTime(p).toMillis();
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    for (Path f : (Iterable<Path>) s::iterator) {
                        t = Math.max(t, Files.getLastModifiedTime(f).toMillis());
                    }
                }
            }
            return t;
        } catch (IOException e) {
            return -1;
        }
    }

    /** @return the bytes of the file, or of the files directly in the directory */
    static long sizeOf(Path p) {
        try {
            if (!Files.isDirectory(p)) {
                return Files.size(p);
            }
            long sum = 0;
            try (Stream<Path> s = Files.list(p)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    if (Files.isRegularFile(f)) {
                        sum += Files.size(f);
                    }
                }
            }
            return sum;
        } catch (IOException e) {
            return 0;
        }
    }
}
