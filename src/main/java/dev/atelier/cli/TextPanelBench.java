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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atelier bench text-panel}: the Text panel's latency in the real studio window, warm: from Generate to the
 * whole result laid out, for "The soldiers" with the shipped language model, beam 10, 30 new tokens and 3
 * constraints, next to the search's own time. Needs a display (run it under {@code xvfb-run -a}).
 */
@Command(name = "text-panel", mixinStandardHelpOptions = true,
        description = "Text panel latency, warm: Generate to the whole result shown (beam 10, 3 constraints, "
                + "30 new tokens, shipped language model), in the studio window.")
public final class TextPanelBench implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "7", description = "Timed runs after one warm-up (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "PyTorch threads for the studio (default: all cores).")
    int threads;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || threads < 0) {
            throw new AtelierException("--runs must be at least 1 and --threads not negative.");
        }
        Path settings = Files.createTempFile("atelier-bench-settings", ".json");
        Files.writeString(settings, "{\"threads\":" + threads + "}\n");
        // per run, in the order the probe prints them (text-shown-ms last of the panel's, then text-bare-ms)
        String[] keys = {"window-cpu", "search", "snapshots", "result", "layout", "shown", "bare"};
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (String k : keys) {
            times.put(k, new ArrayList<>());
        }
        List<Double> shown = times.get("shown");
        List<Double> search = times.get("search");
        try {
            Process p = StudioProcess.start(List.of("-Datelier.textPanelProbe=" + runs,
                    "-Datelier.settings=" + settings));
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    for (String k : keys) {
                        String prefix = "text-" + k + "-ms ";
                        if (line.startsWith(prefix)) {
                            times.get(k).add(Double.parseDouble(line.substring(prefix.length()).trim()));
                        }
                    }
                    if (line.startsWith("text-bare-ms ")) {
                        int i = shown.size() - 1;
                        System.err.printf(Locale.ROOT, "run %d: result shown %.0f ms (search %.0f ms; panel: snapshots "
                                + "%.1f ms, result %.1f ms, layout %.1f ms; window threads %.0f ms CPU); search "
                                + "without the panel %.0f ms%n", i + 1, shown.get(i), search.get(i),
                                times.get("snapshots").get(i), times.get("result").get(i), times.get("layout").get(i),
                                times.get("window-cpu").get(i), times.get("bare").get(i));
                    }
                }
            }
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (times.values().stream().anyMatch(l -> l.size() < runs)) {
                throw new AtelierException("The studio did not report the Text panel's times (exit code "
                        + (p.isAlive() ? "none, stopped" : p.exitValue()) + "). It needs a display: on a headless "
                        + "machine run `xvfb-run -a bin/atelier bench text-panel`.");
            }
        } finally {
            Files.deleteIfExists(settings);
        }
        Map<String, Double> median = new LinkedHashMap<>();
        times.forEach((k, v) -> median.put(k, BenchStats.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        if (json) {
            ObjectNode n = ModelManifest.JSON.createObjectNode();
            n.put("runs", runs);
            n.put("threads", threads);
            n.put("shown_ms_median", Math.round(median.get("shown")));
            n.put("search_ms_median", Math.round(median.get("search")));
            n.put("bare_search_ms_median", Math.round(median.get("bare")));
            for (String k : List.of("snapshots", "result", "layout", "window-cpu")) {
                n.put(k.replace('-', '_') + "_ms_median", Math.round(median.get(k) * 10) / 10.0);
            }
            times.forEach((k, v) -> n.putPOJO(k.replace('-', '_') + "_ms", v));
            System.out.println(ModelManifest.JSON.writeValueAsString(n));
        } else {
            System.out.printf(Locale.ROOT, "Text panel, brown-lm, beam 10, 3 constraints, 30 new tokens, warm:%n");
            System.out.printf(Locale.ROOT, "Generate → whole result shown: median %.0f ms over %d runs%n",
                    median.get("shown"), runs);
            System.out.printf(Locale.ROOT, "of which the search itself:     median %.0f ms%n", median.get("search"));
            System.out.printf(Locale.ROOT, "the same search without the panel (no bank snapshots): median %.0f ms%n",
                    median.get("bare"));
            System.out.printf(Locale.ROOT, "the panel's own work (FX thread): median %.1f ms live bank steps, %.1f ms "
                    + "result rows and bank history, %.1f ms layout%n", median.get("snapshots"), median.get("result"),
                    median.get("layout"));
            System.out.printf(Locale.ROOT, "CPU time of the window's threads (FX, renderer), Generate to shown: median "
                    + "%.0f ms%n", median.get("window-cpu"));
        }
        return 0;
    }
}
