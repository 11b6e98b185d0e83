package dev.atelier.cli;

import ai.djl.Device;
import dev.atelier.app.Services;
import dev.atelier.base.EngineConfig;
import picocli.CommandLine.Option;

/** Options every engine-using subcommand shares; mix in with {@code @Mixin CommonOptions common;}. */
public final class CommonOptions {
    @Option(names = "--verbose", description = "Print stack traces of errors.")
    public boolean verbose;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    public String device;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: all cores).")
    public Integer threads;

    /** @return the engine configuration these options choose (an unknown device is bad input, exit code 1) */
    public EngineConfig engine() {
        return new EngineConfig(device, threads == null ? EngineConfig.ALL_CORES : threads, "--device");
    }

    /** @return services on a lane of their own for one command; close them when done */
    public Services services() {
        return Services.start(engine());
    }

    /**
     * Applies the thread count and starts the engine on the chosen device (commands that run outside the services).
     *
     * @return the device models load on
     */
    public Device device() {
        return engine().apply();
    }

    /** Applies only the thread count (commands that may need no engine). */
    public void applyThreads() {
        engine().applyThreads();
    }
}
