package dev.atelier.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lane's model cache: load once, reload a changed model, evict least recently used beyond the budget. */
class ModelCacheTest {
    @TempDir
    Path tmp;

    /** A stand-in for a loaded model that records whether it was closed. */
    static final class Fake implements AutoCloseable {
        final Path path;
        boolean closed;

        Fake(Path path) {
            this.path = path;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private Path model(String name, int bytes) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.write(dir.resolve("weights.bin"), new byte[bytes]);
        return dir;
    }

    @Test
    void loadsOnceAndReloadsWhenTheFilesChange() throws Exception {
        Path a = model("a", 10);
        List<Fake> loaded = new ArrayList<>();
        try (ModelCache cache = new ModelCache(1000)) {
            Fake first = cache.get("x", a, "cpu", Fake.class, p -> add(loaded, new Fake(p)));
            assertSame(first, cache.get("x", a, "cpu", Fake.class, p -> add(loaded, new Fake(p))));
            assertEquals(1, cache.loads());
            Fake otherDevice = cache.get("x", a, "gpu(0)", Fake.class, p -> add(loaded, new Fake(p)));
            assertFalse(first == otherDevice, "the device is part of the key");

            Files.setLastModifiedTime(a.resolve("weights.bin"), FileTime.fromMillis(
                    Files.getLastModifiedTime(a.resolve("weights.bin")).toMillis() + 60_000));
            Fake reloaded = cache.get("x", a, "cpu", Fake.class, p -> add(loaded, new Fake(p)));
            assertFalse(first == reloaded, "a changed model loads again");
            assertTrue(first.closed && otherDevice.closed, "the stale copies are closed");
            assertEquals(3, cache.loads());
        }
        assertTrue(loaded.stream().allMatch(f -> f.closed), "closing the cache closes every model");
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondTheBudget() throws Exception {
        Path a = model("a", 400);
        Path b = model("b", 400);
        Path c = model("c", 400);
        try (ModelCache cache = new ModelCache(1000)) {
            Fake fa = cache.get("x", a, "cpu", Fake.class, Fake::new);
            Fake fb = cache.get("x", b, "cpu", Fake.class, Fake::new);
            assertSame(fa, cache.get("x", a, "cpu", Fake.class, Fake::new), "a is now the most recently used");
            Fake fc = cache.get("x", c, "cpu", Fake.class, Fake::new);
            assertTrue(fb.closed, "b, least recently used, is evicted past 1000 bytes");
            assertFalse(fa.closed || fc.closed);
            assertEquals(2, cache.size());
            Path big = model("big", 5000);
            Fake fbig = cache.get("x", big, "cpu", Fake.class, Fake::new);
            assertFalse(fbig.closed, "a model larger than the budget still loads; the others make room");
            assertEquals(1, cache.size());
        }
    }

    private static Fake add(List<Fake> list, Fake f) {
        list.add(f);
        return f;
    }
}
