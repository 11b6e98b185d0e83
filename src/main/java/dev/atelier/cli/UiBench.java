package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.base.ModelManifest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atelier bench ui}: the Sampling panel's latency in the real studio window, in fresh JVMs (each with
 * its own settings file): JVM start → first image after Ctrl+1, Ctrl+Enter; slider release → 16 one-step
 * images painted (warm: after 6 batches and 120 releases that are not counted; 12 releases per run, each with the
 * sampler's own time); the longest gap between JavaFX pulses while a 64-step batch of
 * 64 runs. Needs a display: {@code xvfb-run -a bin/atelier bench ui}.
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Sampling panel latency in the real window: start → first image, slider release → 16 one-step "
                + "images painted, longest pulse gap during a 64×64-step batch.")
public final class UiBench implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "3", description = "Fresh studio starts (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch threads in the studio (default "
            + "${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--screenshots", paramLabel = "DIR",
            description = "Also save the window with results in the light and dark themes (first run) to DIR.")
    Path screenshots;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new AtelierException("--runs must be at least 1.");
        }
        long[] first = new long[runs];
        List<Long> releases = new ArrayList<>();
        List<Long> sampler = new ArrayList<>();
        double[] gaps = new double[runs];
        double[] batch = new double[runs];
        for (int i = 0; i < runs; i++) {
            Path home = Files.createTempDirectory("atelier-bench-ui");
            Path settings = home.resolve("settings.json");
            Files.writeString(settings, "{\"threads\": " + threads + ", \"sampling\": {\"randomSeed\": false, "
                    + "\"seed\": 42, \"count\": 16, \"steps\": 1}}\n", StandardCharsets.UTF_8);
            List<String> props = new ArrayList<>(List.of("-Datelier.uiBench=true", "-Datelier.settings=" + settings));
            if (screenshots != null && i == 0) {
                props.add("-Datelier.uiBench.shots=" + screenshots.toAbsolutePath());
            }
            Process p = StudioProcess.start(props);
            first[i] = -1;
            gaps[i] = -1;
            String failure = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    String[] f = line.trim().split(" ");
                    switch (f[0]) {
                        case "first-image-ms" -> first[i] = Long.parseLong(f[1]);
                        case "release-1step-16-ms" -> Arrays.stream(f).skip(1).map(Long::parseLong).forEach(releases::add);
                        case "release-1step-16-sampler-ms" -> Arrays.stream(f).skip(1).map(Long::parseLong)
                                .forEach(sampler::add);
                        case "pulse-gap-64x64-ms" -> gaps[i] = Double.parseDouble(f[1]);
                        case "batch-64x64-seconds" -> batch[i] = Double.parseDouble(f[1]);
                        case "bench-failed" -> failure = line;
                        default -> System.err.println(line);
                    }
                }
            }
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            try (var s = Files.list(home)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(home);
            if (first[i] < 0 || gaps[i] < 0) {
                throw new AtelierException(failure != null ? "The benchmark in the studio failed (" + failure + "). "
                        + "Rerun it on a less loaded machine." : "The studio did not report its figures (exit code "
                        + p.exitValue() + "). It needs a display: on a headless machine run "
                        + "`xvfb-run -a bin/atelier bench ui`.");
            }
            System.err.printf(Locale.ROOT, "run %d: first image %d ms, pulse gap %.1f ms, 64×64 batch %.2f s%n", i + 1,
                    first[i], gaps[i], batch[i]);
        }
        long[] rel = releases.stream().mapToLong(Long::longValue).toArray();
        long relMedian = BenchStats.median(rel);
        long relMax = Arrays.stream(rel).max().orElse(-1);
        long samplerMedian = BenchStats.median(sampler.stream().mapToLong(Long::longValue).toArray());
        double gapMax = Arrays.stream(gaps).max().orElse(-1);
        long firstMedian = BenchStats.median(first);
        if (json) {
            ObjectNode n = ModelManifest.JSON.createObjectNode();
            n.put("runs", runs);
            n.put("threads", threads);
            n.put("first_image_ms_median", firstMedian);
            n.putPOJO("first_image_ms", first);
            n.put("release_ms_median", relMedian);
            n.put("release_ms_max", relMax);
            n.putPOJO("release_ms", rel);
            n.put("release_sampler_ms_median", samplerMedian);
            n.put("pulse_gap_ms_max", gapMax);
            n.putPOJO("pulse_gap_ms", gaps);
            n.putPOJO("batch_64x64_seconds", batch);
            System.out.println(ModelManifest.JSON.writeValueAsString(n));
        } else {
            System.out.printf(Locale.ROOT, "JVM start → first image (Ctrl+1, Ctrl+Enter): median %d ms over %d runs %s%n",
                    firstMedian, runs, Arrays.toString(first));
            System.out.printf(Locale.ROOT, "slider release → 16 one-step images painted: median %d ms, max %d ms over %d "
                    + "releases; of which the sampler (noise + forward): median %d ms%n", relMedian, relMax, rel.length,
                    samplerMedian);
            System.out.printf(Locale.ROOT, "longest pulse gap during a 64-step batch of 64: %.1f ms (worst of %d runs; "
                    + "%s)%n", gapMax, runs, Arrays.toString(gaps));
            System.out.printf(Locale.ROOT, "64-step batch of 64: %s s%n", Arrays.toString(batch));
        }
        return 0;
    }
}
