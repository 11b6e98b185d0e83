package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.Main;
import dev.atelier.base.ModelManifest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path settings = Files.createTempFile("atelier-bench-settings", ".json");
        Files.writeString(settings, "{\"threads\":" + threads + "}\n");
        List<Double> shown = new ArrayList<>();
        List<Double> search = new ArrayList<>();
        try {
            List<String> cmd = new ArrayList<>(List.of(java, "-Datelier.textPanelProbe=" + runs,
                    "-Datelier.settings=" + settings, "-Dai.djl.offline=true"));
            String assets = System.getProperty("atelier.assets");
            if (assets != null) {
                cmd.add("-Datelier.assets=" + assets);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("text-shown-ms ")) {
                        shown.add(Double.parseDouble(line.substring(14).trim()));
                        System.err.printf(Locale.ROOT, "run %d: result shown %.0f ms", shown.size(),
                                shown.get(shown.size() - 1));
                    } else if (line.startsWith("text-search-ms ")) {
                        search.add(Double.parseDouble(line.substring(15).trim()));
                        System.err.printf(Locale.ROOT, " (search %.0f ms)%n", search.get(search.size() - 1));
                    }
                }
            }
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (shown.size() < runs || search.size() < runs) {
                throw new AtelierException("The studio did not report the Text panel's times (exit code "
                        + (p.isAlive() ? "none, stopped" : p.exitValue()) + "). It needs a display: on a headless "
                        + "machine run `xvfb-run -a bin/atelier bench text-panel`.");
            }
        } finally {
            Files.deleteIfExists(settings);
        }
        double ms = BenchStats.median(shown.stream().mapToDouble(Double::doubleValue).toArray());
        double ss = BenchStats.median(search.stream().mapToDouble(Double::doubleValue).toArray());
        if (json) {
            ObjectNode n = ModelManifest.JSON.createObjectNode();
            n.put("runs", runs);
            n.put("threads", threads);
            n.put("shown_ms_median", Math.round(ms));
            n.put("search_ms_median", Math.round(ss));
            n.putPOJO("shown_ms", shown);
            n.putPOJO("search_ms", search);
            System.out.println(ModelManifest.JSON.writeValueAsString(n));
        } else {
            System.out.printf(Locale.ROOT, "Text panel, brown-lm, beam 10, 3 constraints, 30 new tokens, warm:%n");
            System.out.printf(Locale.ROOT, "Generate → whole result shown: median %.0f ms over %d runs%n", ms, runs);
            System.out.printf(Locale.ROOT, "of which the search itself:     median %.0f ms%n", ss);
        }
        return 0;
    }
}
