package dev.atelier.base;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.atelier.AtelierException;
import java.util.Locale;

/**
 * Starting the PyTorch engine offline and choosing the device. Call {@link #configure(Integer)} before any
 * other DJL class is touched; {@link #engine()} extracts the natives on first use (≈430 MB, once per
 * machine), so call it from the inference lane, never from the FX thread.
 */
public final class Engines {
    private static final String THREADS = "ai.djl.pytorch.num_threads";
    private static final String INTEROP = "ai.djl.pytorch.num_interop_threads";
    private static volatile boolean started;

    private Engines() {
    }

    /**
     * Makes DJL work offline and fixes its thread counts (unset counts let OpenMP oversubscribe a busy
     * machine, which was measured 2–10× slower).
     *
     * @param threads intra-op threads (1 to {@link dev.atelier.Limits#maxThreads()}), or
     *     {@link EngineConfig#ALL_CORES} to keep a value given with -D or use all cores; ignored once the engine
     *     has started (PyTorch fixes its thread pools at start)
     * @throws AtelierException for a thread count out of range (checked before anything else)
     */
    public static void configure(int threads) {
        if (threads != EngineConfig.ALL_CORES) {
            dev.atelier.Limits.checkThreads(threads);
        }
        System.setProperty("ai.djl.offline", "true");
        if (started) {
            return;
        }
        System.setProperty("ai.djl.pytorch.graph_optimizer", System.getProperty("ai.djl.pytorch.graph_optimizer", "false"));
        if (threads != EngineConfig.ALL_CORES) {
            System.setProperty(THREADS, Integer.toString(threads));
        } else if (System.getProperty(THREADS) == null) {
            System.setProperty(THREADS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        if (System.getProperty(INTEROP) == null) {
            System.setProperty(INTEROP, "1");
        }
    }

    /** @return the PyTorch engine, loading its natives if needed */
    public static Engine engine() {
        configure(EngineConfig.ALL_CORES);
        try {
            Engine e = Engine.getEngine("PyTorch");
            started = true;
            return e;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new AtelierException("The PyTorch engine could not be started (" + AtelierException.reason(e) + "). The "
                    + "natives are extracted to the DJL cache (~/.djl.ai) on first start and need ≈430 MB of free "
                    + "disk; check the space there, or delete that folder to extract them again.", e);
        }
    }

    /** Undoes {@link #singleThreaded()}. */
    public interface ThreadsRestore extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Gives the calling thread's PyTorch work one intra-op thread until the result is closed, then the count it had.
     * For work made of many tiny operations (a small language model's decoding steps: a few dozen rows of width
     * 192), where a second OpenMP thread gains nothing and costs a lot whenever another process holds a core (the
     * threads wait for each other at every operation): the Text panel's search measured 51 s with 2 threads against
     * 2.5 s with one on the busy 2-core machine (docs/BENCHMARKS.md). Does nothing before the engine has started
     * (a bigram model needs none).
     *
     * @return closes to restore the thread count
     */
    public static ThreadsRestore singleThreaded() {
        if (!started) {
            return () -> { };
        }
        int before = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        if (before == 1) {
            return () -> { };
        }
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        return () -> ai.djl.pytorch.jni.JniUtils.setNumThreads(before);
    }

    /**
     * Runs an optimiser's in-place parameter update with autograd off on the calling thread, as PyTorch requires
     * (its {@code no_grad}). Grad mode is per thread and on by default: DJL turns it off only on the thread that
     * started the engine, so on any other thread an in-place change of a parameter that requires gradients is
     * refused ("a leaf Variable that requires grad is being used in an in-place operation").
     */
    public static void withoutGradients(Runnable update) {
        boolean was = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            update.run();
        } finally {
            if (was) {
                ai.djl.pytorch.jni.JniUtils.setGradMode(true);
            }
        }
    }

    /** @return intra-op threads the engine was configured with */
    public static int threads() {
        configure(EngineConfig.ALL_CORES);
        return Integer.parseInt(System.getProperty(THREADS));
    }

    /**
     * Resolves a device choice (callers go through {@link EngineConfig#apply()}, which holds the choice).
     *
     * @param preference "auto" (a GPU when DJL sees one), "cpu" or "gpu"
     * @param source where the choice came from, for the message when no GPU is visible
     * @return the device
     * @throws AtelierException if "gpu" is asked for and none is visible
     */
    static Device select(String preference, String source) {
        String p = preference == null ? "auto" : preference.toLowerCase(Locale.ROOT);
        Engine e = engine();
        Device d;
        switch (p) {
            case "cpu":
                d = Device.cpu();
                break;
            case "gpu":
                if (e.getGpuCount() == 0) {
                    throw AtelierException.field("device", "A GPU was asked for (device gpu, from " + source
                            + "), but PyTorch sees no GPU here. Choose the CPU there, or build with the cuda profile "
                            + "(mvn -Pcuda …) on a machine with an NVIDIA GPU and driver.");
                }
                d = Device.gpu();
                break;
            case "auto":
                d = e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
                break;
            default:
                throw AtelierException.field("device", "Unknown device \"" + preference + "\". Use auto, cpu or gpu.");
        }
        return d;
    }

    /** @return e.g. "CPU, 2 threads" or "GPU 0 (CUDA)" for the status bar */
    public static String describe(Device d) {
        if (d.isGpu()) {
            return "GPU " + d.getDeviceId() + " (CUDA)";
        }
        int t = threads();
        return "CPU, " + t + (t == 1 ? " thread" : " threads");
    }

    /** Engine name, PyTorch version and device, for the status bar and {@code atelier info}. */
    public record Info(String engine, String version, String device, int gpus, int threads) {
    }

    /** @return facts about the running engine (starts it if needed) and the device {@code d} */
    public static Info info(Device d) {
        Engine e = engine();
        return new Info(e.getEngineName(), e.getVersion(), describe(d), e.getGpuCount(), threads());
    }
}
