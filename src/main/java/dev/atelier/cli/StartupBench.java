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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atelier bench startup}: starts the studio in fresh JVMs and reports the milliseconds from JVM
 * start to "window shown" and to "engine ready" (median over runs). Needs a display (run it under
 * {@code xvfb-run -a} on a headless machine).
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = "Time from JVM start to the studio window shown and to the engine ready (fresh JVMs).")
public final class StartupBench implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "5", description = "Number of fresh starts (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--cold", description = "Give every run an empty PyTorch cache, as on a machine's first start "
            + "(the ≈430 MB of natives are extracted again each run).")
    boolean cold;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new AtelierException("--runs must be at least 1.");
        }
        Path settings = Files.createTempFile("atelier-bench-settings", ".json");
        Files.delete(settings);
        long[] shown = new long[runs];
        long[] ready = new long[runs];
        try {
            for (int i = 0; i < runs; i++) {
                Path cache = cold ? Files.createTempDirectory("atelier-bench-djl") : null;
                List<String> props = new ArrayList<>(List.of("-Datelier.startupProbe=true",
                        "-Datelier.settings=" + settings));
                if (cache != null) {
                    props.add("-DENGINE_CACHE_DIR=" + cache);
                }
                Process p = StudioProcess.start(props);
                shown[i] = -1;
                ready[i] = -1;
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("window-shown-ms ")) {
                            shown[i] = Long.parseLong(line.substring(16).trim());
                        } else if (line.startsWith("engine-ready-ms ")) {
                            ready[i] = Long.parseLong(line.substring(16).trim());
                        }
                    }
                }
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                if (cache != null) {
                    deleteTree(cache);
                }
                if (shown[i] < 0 || ready[i] < 0) {
                    throw new AtelierException("The studio did not report its start-up times (exit code "
                            + p.exitValue() + "). It needs a display: on a headless machine run "
                            + "`xvfb-run -a bin/atelier bench startup`.");
                }
                System.err.printf("run %d: window shown %d ms, engine ready %d ms%n", i + 1, shown[i], ready[i]);
            }
        } finally {
            Files.deleteIfExists(settings);
        }
        long ms = BenchStats.median(shown);
        long me = BenchStats.median(ready);
        if (json) {
            ObjectNode n = ModelManifest.JSON.createObjectNode();
            n.put("runs", runs);
            n.put("cold", cold);
            n.put("window_shown_ms_median", ms);
            n.put("engine_ready_ms_median", me);
            n.putPOJO("window_shown_ms", shown);
            n.putPOJO("engine_ready_ms", ready);
            System.out.println(ModelManifest.JSON.writeValueAsString(n));
        } else {
            System.out.printf("JVM start → window shown: median %d ms over %d runs %s%n", ms, runs, Arrays.toString(shown));
            System.out.printf("JVM start → engine ready: median %d ms over %d runs %s%n", me, runs, Arrays.toString(ready));
        }
        return 0;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

}
