package dev.atelier.runtime;

import dev.atelier.base.EngineConfig;
import dev.atelier.base.Engines;
import ai.djl.util.Utils;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The studio's first lane job: start the PyTorch engine and choose the device. On a machine's first start
 * DJL extracts ≈430 MB of natives into its cache, which takes a while; this reports that as progress
 * (bytes in the cache folder over the natives' size in their jar) instead of a frozen window.
 */
public final class EngineStartup {
    private static final long FALLBACK_NATIVES_BYTES = 448L << 20;

    private EngineStartup() {
    }

    /**
     * Starts the engine.
     *
     * @param ctx progress goes here
     * @param config device and threads
     * @return engine facts for the status bar
     */
    public static Engines.Info start(JobContext<?> ctx, EngineConfig config) {
        config.applyThreads();
        Path cache = Utils.getEngineCacheDir("pytorch");
        long total = nativesBytes();
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atelier-engine-progress");
            t.setDaemon(true);
            return t;
        });
        long before = sizeOf(cache);
        ctx.progress(-1, "Starting PyTorch…");
        poll.scheduleAtFixedRate(() -> {
            long now = sizeOf(cache);
            if (now > before) {
                ctx.progress(Math.min(0.99, (double) now / total), String.format(
                        "First start: extracting PyTorch natives, %d of ≈%d MB", now >> 20, total >> 20));
            }
        }, 200, 250, TimeUnit.MILLISECONDS);
        try {
            Engines.Info info = Engines.info(config.apply());
            ctx.progress(1, "Engine ready: " + info.engine() + " " + info.version() + ", " + info.device());
            return info;
        } finally {
            poll.shutdownNow();
        }
    }

    /** @return the uncompressed size of the PyTorch natives in their jar, or ≈448 MB if not found */
    static long nativesBytes() {
        URL url = EngineStartup.class.getClassLoader().getResource("native/lib/pytorch.properties");
        if (url == null || !"jar".equals(url.getProtocol())) {
            return FALLBACK_NATIVES_BYTES;
        }
        try {
            JarURLConnection c = (JarURLConnection) url.openConnection();
            c.setUseCaches(false);
            long sum = 0;
            try (JarFile jar = c.getJarFile()) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().startsWith("native/lib/") && entry.getSize() > 0) {
                        sum += entry.getSize();
                    }
                }
            }
            return sum > 0 ? sum : FALLBACK_NATIVES_BYTES;
        } catch (IOException | ClassCastException e) {
            return FALLBACK_NATIVES_BYTES;
        }
    }

    private static long sizeOf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
