package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencySampler;
import dev.atelier.consistency.EditClassInference;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SigmaSchedule;
import dev.atelier.image.PngImages;
import dev.atelier.runtime.ConsistencyModels;
import dev.atelier.runtime.LoadedConsistencyModel;
import dev.atelier.runtime.ModelLocator;
import dev.atelier.runtime.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;

/** What {@code sample} and {@code edit} share: model lookup, seeds, progress, PNG output and the report. */
final class ImageJobs {
    /** The most images one command makes. */
    static final int MAX_COUNT = 1024;

    private ImageJobs() {
    }

    /** @return the model spec given, or the first shipped consistency model */
    static String modelSpec(String given) {
        if (given != null) {
            return given;
        }
        Path models = ModelLocator.modelsDir();
        for (String name : ModelLocator.shippedNames()) {
            if ("consistency".equals(ModelManifest.read(models.resolve(name)).kind)) {
                return name;
            }
        }
        throw new AtelierException("No --model given and no shipped consistency model found under assets/models. "
                + "Pass --model with a model directory (see docs/MODELS.md).");
    }

    /** Loads the model named by {@code spec} (path or shipped name). */
    static LoadedConsistencyModel load(String spec) {
        return ConsistencyModels.load(ModelLocator.resolve(spec));
    }

    /** @return the given seed, or a fresh random one (the report prints it) */
    static long seed(Long given) {
        return given != null ? given : ThreadLocalRandom.current().nextLong(0, 1L << 31);
    }

    static void checkCount(CommandLine.Model.CommandSpec spec, String flag, int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new CommandLine.ParameterException(spec.commandLine(), flag + " " + count + " is out of range: give 1 to "
                    + MAX_COUNT + ".");
        }
    }

    /** A --steps outside 1…64 is a usage error whatever the model (the model's default needs no check). */
    static void checkSteps(CommandLine.Model.CommandSpec spec, Integer steps) {
        if (steps != null && (steps < 1 || steps > SigmaSchedule.MAX_STEPS)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps " + steps + " is out of range: give 1 to "
                    + SigmaSchedule.MAX_STEPS + " (1 is one-step generation; 2-4 usually suffice).");
        }
    }

    /** @return progress on stderr, one line per f evaluation (over all chunks of {@code images}) */
    static ConsistencySampler.StepListener progress(String what, int images) {
        return (done, steps, current) -> System.err.printf(Locale.ROOT, "%s: %d image%s, evaluation %d/%d%n", what,
                images, images == 1 ? "" : "s", done, steps);
    }

    /** Parses "5.38,2.24". */
    static List<Double> parseSigmas(CommandLine.Model.CommandSpec spec, String text) {
        try {
            return java.util.Arrays.stream(text.split(",")).map(String::trim).map(Double::parseDouble).toList();
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sigmas \"" + text + "\" is not a list of "
                    + "numbers. Write it like \"5.38,2.24\".");
        }
    }

    /**
     * @return {"class":9,"name":"Ankle boot","confidence":0.93,"method":"classifier"} for a detected class, or null
     */
    static ObjectNode detected(EditClassInference.Detected d, List<String> names) {
        if (d == null) {
            return null;
        }
        ObjectNode o = ModelManifest.JSON.createObjectNode();
        o.put("class", d.label());
        if (names != null && d.label() < names.size()) {
            o.put("name", names.get(d.label()));
        }
        o.put("confidence", Math.round(d.confidence() * 1e4) / 1e4);
        o.put("method", d.method());
        return o;
    }

    /**
     * Writes the grid PNG with the request in its tEXt chunk and prints the report.
     *
     * @param detected the class inferred for an edit (see {@link #detected}), or null; it goes into the PNG's
     *     parameters, the JSON report and the text line
     * @return the exit code 0
     */
    static int finish(GenerationRequest request, LoadedConsistencyModel m, float[] images, int n, int[] labels,
            Path out, int gap, boolean json, double seconds, ObjectNode detected) {
        int c = m.model().channels();
        int size = m.model().size();
        var img = PngImages.grid(images, n, c, size, gap);
        ObjectNode settings = GenerationRequest.JSON.valueToTree(request);
        if (detected != null) {
            settings.set("detected", detected);
        }
        try {
            PngImages.write(out, img, GenerationRequest.JSON.writeValueAsString(settings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json) {
            ObjectNode report = ModelManifest.JSON.createObjectNode();
            report.set("settings", settings);
            if (detected != null) {
                report.set("detected", detected);
            }
            ArrayNode sig = report.putArray("sigmas");
            request.sigmas().forEach(sig::add);
            report.put("seconds", Math.round(seconds * 1e4) / 1e4);
            report.put("out", out.toAbsolutePath().toString());
            report.put("images", n);
            report.put("width", img.getWidth());
            report.put("height", img.getHeight());
            if (labels != null) {
                ArrayNode l = report.putArray("labels");
                for (int v : labels) {
                    l.add(v);
                }
            }
            try {
                System.out.println(ModelManifest.JSON.writeValueAsString(report));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            String seeds = request instanceof dev.atelier.consistency.EditRequest e && e.seedA() != null
                    ? "seeds " + e.seedA() + " to " + e.seedB() : "seed " + request.seed();
            System.out.printf(Locale.ROOT, "Wrote %s: %d image%s %dx%d, %s, %s, %d step%s (sigma %s) in %.2f s%n",
                    out, n, n == 1 ? "" : "s", img.getWidth(), img.getHeight(), request.task(), seeds,
                    request.sigmas().size(), request.sigmas().size() == 1 ? "" : "s", sigmaText(request.sigmas()),
                    seconds);
            if (detected != null) {
                System.out.printf(Locale.ROOT, "detected: %s, %.2f (%s)%n", detected.has("name")
                        ? detected.get("name").asText() : "class " + detected.get("class").asInt(),
                        detected.get("confidence").asDouble(), detected.get("method").asText());
            }
        }
        return 0;
    }

    static String sigmaText(List<Double> sigmas) {
        StringBuilder b = new StringBuilder();
        for (double s : sigmas) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", s));
        }
        return b.toString();
    }
}
