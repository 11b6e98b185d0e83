package dev.atelier.cli;

import dev.atelier.runtime.Engines;
import picocli.CommandLine.Option;

/** Options every engine-using subcommand shares; mix in with {@code @Mixin CommonOptions common;}. */
public final class CommonOptions {
    @Option(names = "--verbose", description = "Print stack traces of errors.")
    public boolean verbose;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    public String device;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: all cores).")
    public Integer threads;

    /** Applies the thread count and device before any model is loaded. */
    public void applyEngineSettings() {
        Engines.configure(threads);
        Engines.select(device);
    }
}
