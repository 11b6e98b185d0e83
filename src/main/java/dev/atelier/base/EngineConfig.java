package dev.atelier.base;

import ai.djl.Device;
import dev.atelier.AtelierException;
import java.util.Locale;

/**
 * Where models run, chosen once (from the command line or the studio's settings) and handed to the services and
 * loaders.
 *
 * @param device "auto" (a GPU when PyTorch sees one), "cpu" or "gpu"
 * @param threads PyTorch intra-op threads; {@link #ALL_CORES} (0) for one per core
 * @param source where the choice came from, for messages (e.g. "the settings file"); the front end names it
 */
public record EngineConfig(String device, int threads, String source) {
    /** The one spelling of "all cores". */
    public static final int ALL_CORES = 0;

    /**
     * Validates the choice: an unknown device, or a thread count outside 0…{@link dev.atelier.Limits#maxThreads()},
     * names its field.
     */
    public EngineConfig {
        device = device == null ? "auto" : device.toLowerCase(Locale.ROOT).trim();
        if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
            throw AtelierException.field("device", "Unknown device \"" + device + "\". Use auto, cpu or gpu.");
        }
        if (threads < 0 || threads > dev.atelier.Limits.maxThreads()) {
            throw AtelierException.field("threads", "{threads} " + threads + " is out of range: give 1 to "
                    + dev.atelier.Limits.maxThreads() + " (twice the cores here; more only slow PyTorch down), or "
                    + ALL_CORES + " for all cores.");
        }
        source = source == null ? "the settings" : source;
    }

    /** @return automatic device, all cores */
    public static EngineConfig defaults() {
        return new EngineConfig("auto", ALL_CORES, "the defaults");
    }

    /** @return the thread count to give PyTorch: {@link #threads}, or the number of cores */
    public int effectiveThreads() {
        return threads == ALL_CORES ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /**
     * Applies the thread count and starts the engine on this device (call it from the lane).
     *
     * @return the device models load on
     * @throws AtelierException when a GPU is asked for and none is visible, naming {@link #source}
     */
    public Device apply() {
        Engines.configure(threads);
        return Engines.select(device, source);
    }

    /** Applies only the thread count (for work that needs no engine, e.g. a bigram model). */
    public void applyThreads() {
        Engines.configure(threads);
    }
}
