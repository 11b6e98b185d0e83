package dev.atelier.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.network.UNet;
import dev.atelier.consistency.network.UNetConfig;
import dev.atelier.consistency.training.ConsistencyTrainer;
import dev.atelier.consistency.training.ImageBatchSource;
import dev.atelier.consistency.training.ImageData;
import dev.atelier.consistency.training.Recipe;
import dev.atelier.consistency.training.TrainConfig;
import dev.atelier.base.Engines;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.RandomStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier bench train-cm}: consistency-training throughput on synthetic 28×28 data (no data set
 * needed): iterations per second, the ratio of a whole step to (student forward+backward + target forward)
 * measured in the same run, and the process's resident memory after {@code --early} steps and at the end.
 */
@Command(name = "train-cm", mixinStandardHelpOptions = true,
        description = "Consistency-training throughput, step overhead ratio and resident-memory growth.")
public final class BenchTrainCmCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--steps", defaultValue = "2000", description = "Steps to run (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--early", defaultValue = "200", description = "Step of the first memory reading (default: ${DEFAULT-VALUE}).")
    int early;

    @Option(names = "--warmup", defaultValue = "20", description = "Steps left out of the timings (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--unet", defaultValue = "32-64-64", description = "UNet widths (default: ${DEFAULT-VALUE}).")
    String unet;

    @Option(names = "--blocks", defaultValue = "1", description = "Residual blocks per level (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--recipe", defaultValue = "ct", description = "ct (default), ict (cd needs a teacher).")
    String recipe;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        common.device();
        int size = 28;
        int n = 2048;
        byte[] pixels = new byte[n * size * size];
        int[] labels = new int[n];
        RandomStream r = new RandomStream(1);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int j = 0; j < size * size; j++) {
                pixels[i * size * size + j] = (byte) r.nextInt(256);
            }
        }
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        ImageData data = new ImageData(pixels, labels, classes, n, 1, size, "synthetic");
        UNetConfig arch = UNetConfig.parse(size, 1, unet, blocks, true, 10);
        TrainConfig cfg = TrainConfig.defaults(Recipe.parse(recipe), steps, batch, 1);
        double rssEarly = Double.NaN;
        double heapEarly = Double.NaN;
        long t0 = 0;
        try (NDManager manager = NDManager.newBaseManager(common.device())) {
            UNet online = UNet.create(arch, manager, new RandomStream(1));
            UNet ema = UNet.create(arch, manager, new RandomStream(1));
            try (ConsistencyTrainer t = new ConsistencyTrainer(cfg, Parameterization.DEFAULT, online, ema,
                    new ImageBatchSource(data, 1), null, manager, true)) {
                for (int k = 1; k <= steps; k++) {
                    t.trainStep();
                    if (k == warmup) {
                        t.resetTimings();
                        t0 = System.nanoTime();
                    }
                    if (k == early) {
                        rssEarly = residentMegabytes();
                        heapEarly = heapMegabytes();
                    }
                    if (k % 100 == 0) {
                        System.err.printf(Locale.ROOT, "step %d/%d, RSS %.0f MB, heap %.0f MB%n", k, steps,
                                residentMegabytes(), heapMegabytes());
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double rssEnd = residentMegabytes();
                double heapEnd = heapMegabytes();
                double[] tm = t.meanTimings();
                double itps = (steps - warmup) / seconds;
                double ratio = tm[2] / (tm[0] + tm[1]);
                ObjectNode o = ModelManifest.JSON.createObjectNode();
                o.put("architecture", arch.toString());
                o.put("parameters", online.parameterCount());
                o.put("gmac_per_image", online.gmacPerImage());
                o.put("recipe", cfg.recipe().name().toLowerCase(Locale.ROOT));
                o.put("batch", batch);
                o.put("threads", Engines.threads());
                o.put("steps", steps);
                o.put("iterations_per_second", itps);
                o.put("images_per_second", itps * batch);
                o.put("target_forward_seconds", tm[0]);
                o.put("student_forward_backward_seconds", tm[1]);
                o.put("step_seconds", tm[2]);
                o.put("step_ratio", ratio);
                o.put("rss_mb_early", rssEarly);
                o.put("rss_mb_end", rssEnd);
                o.put("rss_growth", (rssEnd - rssEarly) / rssEarly);
                o.put("java_heap_committed_mb_early", heapEarly);
                o.put("java_heap_committed_mb_end", heapEnd);
                if (json) {
                    System.out.println(ModelManifest.JSON.writeValueAsString(o));
                } else {
                    System.out.printf(Locale.ROOT, "%s, %,d parameters, %.3f GMAC/image, %s, batch %d, %d thread(s)%n",
                            arch, online.parameterCount(), online.gmacPerImage(), o.get("recipe").asText(), batch,
                            Engines.threads());
                    System.out.printf(Locale.ROOT, "Throughput:  %.3f it/s (%.1f images/s) over %d steps%n", itps,
                            itps * batch, steps - warmup);
                    System.out.printf(Locale.ROOT, "Step:        %.3f s = target forward %.3f s + student fwd+bwd %.3f s"
                            + " + rest; ratio %.3f (target ≤ 1.10)%n", tm[2], tm[0], tm[1], ratio);
                    System.out.printf(Locale.ROOT, "Memory:      RSS %.0f MB after %d steps, %.0f MB after %d (%+.1f%%)%n",
                            rssEarly, early, rssEnd, steps, 100 * (rssEnd - rssEarly) / rssEarly);
                    System.out.printf(Locale.ROOT, "             of which Java heap committed: %.0f MB, then %.0f MB "
                            + "(run with -Xms = -Xmx and -XX:+AlwaysPreTouch to keep the heap out of the comparison)%n",
                            heapEarly, heapEnd);
                }
            }
        }
        return 0;
    }

    /** @return the Java heap committed by the JVM, in MB */
    static double heapMegabytes() {
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    /** @return resident set size in MB from /proc/self/status, or NaN where that file does not exist */
    static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no reading
        }
        return Double.NaN;
    }
}
