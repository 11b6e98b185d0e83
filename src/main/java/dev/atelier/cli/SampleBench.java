package dev.atelier.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.consistency.SigmaSchedule;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.network.UNetConfig;
import dev.atelier.consistency.network.UNetConsistencyModel;
import dev.atelier.runtime.ConsistencyModels;
import dev.atelier.base.Engines;
import dev.atelier.runtime.LoadedConsistencyModel;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier bench sample}: the forward time of a consistency model at batch 1, 16 and 64; the time of
 * K-step sampling (K = 1, 2, 4, 8) against K forwards (the sampler's own cost: target ratio ≤ 1.05), both
 * against K separately timed forwards and against the K forwards inside the same run (the median over
 * runs of run time / time spent in f, which other processes' load cannot skew); and
 * the machine's float32 GEMM rate in the same run, with the model's achieved FLOP/s as a fraction of it.
 * Each time is the fastest of {@code --repeats} runs after one warm-up: on a shared machine the fastest
 * run is the one least disturbed by other processes, and it is what the ratios compare.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Consistency sampling speed: forward at batch 1/16/64, K-step sampling vs K forwards, GEMM rate.")
public final class SampleBench implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Model to measure (default: the shipped consistency model; if none, --random-init).")
    String model;

    @Option(names = "--random-init", description = "Measure a randomly initialised network of the default "
            + "architecture (atelier train-cm's Fashion-MNIST UNet) instead of a model file.")
    boolean randomInit;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "5", description = "Timed runs per figure (default: 5).")
    int repeats;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16",
            description = "Batch of the K-step sampling runs (default: 16).")
    int batch;

    @Option(names = "--json", description = "Print one JSON report on stdout.")
    boolean json;

    /** The model under test, its FLOP count per image (or NaN) and a description. */
    record Subject(ConsistencyModel model, double gmacPerImage, String description) {
    }

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || batch < 1 || batch > 1024) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeats must be ≥ 1 and --batch 1…1024.");
        }
        common.device();
        Subject s = subject();
        try (ConsistencyModel m = s.model()) {
            ObjectNode report = ModelManifest.JSON.createObjectNode();
            report.put("model", s.description());
            report.put("device", Engines.describe(common.device()));
            report.put("threads", Engines.threads());
            report.put("repeats", repeats);
            double gemm = gemmGflops();
            report.put("gemm_gflops", round(gemm));
            if (!Double.isNaN(s.gmacPerImage())) {
                report.put("gmac_per_image", s.gmacPerImage());
            }
            int n = m.channels() * m.size() * m.size();
            ArrayNode fw = report.putArray("forward");
            double forwardAtBatch = Double.NaN;
            for (int b : new int[] {1, 16, 64}) {
                float[] x = new float[b * n];
                java.util.Random r = new java.util.Random(b);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (r.nextGaussian() * 0.5);
                }
                float[] sigma = new float[b];
                Arrays.fill(sigma, 1f);
                int[] labels = m.numClasses() > 0 ? new int[b] : null;
                double t = fastest(() -> {
                    m.denoise(x, sigma, labels);
                    return null;
                });
                ObjectNode row = fw.addObject();
                row.put("batch", b);
                row.put("ms", round(t * 1e3));
                row.put("ms_per_image", round(t * 1e3 / b));
                if (!Double.isNaN(s.gmacPerImage())) {
                    double gflops = 2 * s.gmacPerImage() * b / t;
                    row.put("gflops", round(gflops));
                    row.put("fraction_of_gemm", round(gflops / gemm));
                }
                System.err.printf(Locale.ROOT, "forward batch %d: %.2f ms%n", b, t * 1e3);
            }
            {
                float[] x = new float[batch * n];
                float[] sigma = new float[batch];
                Arrays.fill(sigma, 1f);
                int[] labels = m.numClasses() > 0 ? new int[batch] : null;
                // measured right before the sampling runs so that both see the same machine load
                forwardAtBatch = fastest(() -> {
                    m.denoise(x, sigma, labels);
                    return null;
                });
            }
            report.put("sampling_batch", batch);
            report.put("forward_ms_at_sampling_batch", round(forwardAtBatch * 1e3));
            ArrayNode ks = report.putArray("sampling");
            TimedModel timed = new TimedModel(m);
            ConsistencyEngine engine = new ConsistencyEngine(timed);
            for (int k : new int[] {1, 2, 4, 8}) {
                double[] sig = SigmaSchedule.forSteps(k, null, m.parameterization());
                SampleRequest req = new SampleRequest("bench", 1, batch, Arrays.stream(sig).boxed().toList(), null);
                double[] inRun = new double[repeats];
                int[] run = {-1};
                double t = fastest(() -> {
                    timed.nanos = 0;
                    long t0 = System.nanoTime();
                    float[] out = engine.sample(req, null);
                    long total = System.nanoTime() - t0;
                    if (run[0] >= 0) {
                        inRun[run[0]] = (double) total / timed.nanos;
                    }
                    run[0]++;
                    return out;
                });
                Arrays.sort(inRun);
                double ratioInRun = inRun[repeats / 2];
                ObjectNode row = ks.addObject();
                row.put("steps", k);
                row.put("ms", round(t * 1e3));
                row.put("ratio_to_k_forwards", Math.round(t / (k * forwardAtBatch) * 1e3) / 1e3);
                row.put("ratio_to_own_forwards", Math.round(ratioInRun * 1e4) / 1e4);
                System.err.printf(Locale.ROOT, "sampling K=%d batch %d: %.2f ms (ratio %.3f, to its own forwards %.4f)%n",
                        k, batch, t * 1e3, t / (k * forwardAtBatch), ratioInRun);
            }
            if (json) {
                System.out.println(ModelManifest.JSON.writeValueAsString(report));
            } else {
                print(report);
            }
        }
        return 0;
    }

    private Subject subject() {
        String spec = model;
        if (spec == null && !randomInit) {
            for (String name : ModelLocator.shippedNames()) {
                if ("consistency".equals(ModelManifest.read(ModelLocator.modelsDir().resolve(name)).kind)) {
                    spec = name;
                    break;
                }
            }
        }
        if (spec == null) {
            return randomInit(common.device());
        }
        LoadedConsistencyModel l = ConsistencyModels.load(ModelLocator.resolve(spec), common.device());
        double gmac = l.manifest().architecture == null || !l.manifest().architecture.has("gmac_per_image")
                ? Double.NaN : l.manifest().architecture.get("gmac_per_image").asDouble();
        return new Subject(l.model(), gmac, spec + " (" + l.manifest().name + ")");
    }

    private double fastest(Supplier<Object> run) {
        run.get();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            run.get();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    /** float32 1024×1024 matrix products on the chosen device: 2·n³ FLOP each. */
    private double gemmGflops() {
        int n = 1024;
        try (NDManager nd = NDManager.newBaseManager(common.device())) {
            NDArray a = nd.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
            NDArray b = nd.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
            double best = Double.MAX_VALUE;
            for (int i = 0; i <= Math.max(30, repeats); i++) { // cheap, so many runs: the fastest is the machine's rate
                long t0 = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0);
                }
                best = i == 0 ? best : Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            double t = best;
            return 2.0 * n * n * n / t / 1e9;
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void print(ObjectNode r) {
        System.out.printf(Locale.ROOT, "Model:   %s%nDevice:  %s%nGEMM:    %.1f GFLOP/s (float32 1024x1024)%n",
                r.get("model").asText(), r.get("device").asText(), r.get("gemm_gflops").asDouble());
        if (r.has("gmac_per_image")) {
            System.out.printf(Locale.ROOT, "Model:   %.4f GMAC per image%n", r.get("gmac_per_image").asDouble());
        }
        System.out.println("Forward (fastest of " + r.get("repeats").asInt() + "):");
        for (var row : r.get("forward")) {
            System.out.printf(Locale.ROOT, "  batch %3d: %9.2f ms  (%.3f ms/image)%s%n", row.get("batch").asInt(),
                    row.get("ms").asDouble(), row.get("ms_per_image").asDouble(), row.has("gflops")
                            ? String.format(Locale.ROOT, "  %.2f GFLOP/s = %.1f%% of GEMM", row.get("gflops").asDouble(),
                            100 * row.get("fraction_of_gemm").asDouble()) : "");
        }
        System.out.printf(Locale.ROOT, "K-step sampling, batch %d (one forward: %.2f ms):%n", r.get("sampling_batch").asInt(),
                r.get("forward_ms_at_sampling_batch").asDouble());
        for (var row : r.get("sampling")) {
            System.out.printf(Locale.ROOT, "  K=%d: %9.2f ms  ratio to K forwards %.3f, to the K forwards inside the "
                    + "run %.4f%n", row.get("steps").asInt(), row.get("ms").asDouble(),
                    row.get("ratio_to_k_forwards").asDouble(), row.get("ratio_to_own_forwards").asDouble());
        }
    }

    /**
     * Times the model's own evaluations, so that a sampling run's time can be split into f and the sampler's
     * own work (noise, clamping, copies) even when other processes slow the machine down unevenly.
     */
    static final class TimedModel implements ConsistencyModel {
        final ConsistencyModel inner;
        long nanos;

        TimedModel(ConsistencyModel inner) {
            this.inner = inner;
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public int channels() {
            return inner.channels();
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public dev.atelier.consistency.Parameterization parameterization() {
            return inner.parameterization();
        }

        @Override
        public float[] denoise(float[] x, float[] sigma, int[] labels) {
            long t0 = System.nanoTime();
            float[] out = inner.denoise(x, sigma, labels);
            nanos += System.nanoTime() - t0;
            return out;
        }
    }

    /**
     * The default architecture: what {@code atelier train-cm} builds for Fashion-MNIST with its defaults
     * (28×28 gray, 10 classes, {@code --unet 32-64-64 --blocks 1 --attention}).
     */
    static final UNetConfig DEFAULT_ARCHITECTURE = UNetConfig.parse(28, 1, "32-64-64", 1, true, 10);

    static Subject randomInit(ai.djl.Device device) {
        UNetConsistencyModel m = UNetConsistencyModel.random(DEFAULT_ARCHITECTURE, Parameterization.DEFAULT, 1, device);
        return new Subject(m, m.network().gmacPerImage(), "random-init UNet 32-64-64, 1 block, attention, 28x28x1, "
                + "10 classes (" + m.network().parameterCount() + " parameters)");
    }
}
