package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.app.ImageResult;
import dev.atelier.app.SampleProgress;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.image.PngImages;
import dev.atelier.runtime.JobListener;
import dev.atelier.base.ModelManifest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** What {@code sample} and {@code edit} print: progress on stderr, the PNG grid and the report. */
final class ImageReport {
    private ImageReport() {
    }

    /** @return a listener that prints each f evaluation's progress line on stderr */
    static JobListener<ImageResult, SampleProgress> progressOnStderr() {
        return new JobListener<>() {
            @Override
            public void onProgress(double fraction, String message) {
                System.err.println(message);
            }
        };
    }

    /** A negative --gap is a usage error. */
    static void checkGap(CommandLine.Model.CommandSpec spec, int gap) {
        Flags.usage(spec, () -> {
            PngImages.checkGap(gap);
            return gap;
        });
    }

    /**
     * Checks {@code --out} before any work: an empty name, a name not ending in .png, or a target that is not a
     * regular writable file (a FIFO, device, symlink, folder, write-protected file) is a usage error.
     */
    static void checkOut(CommandLine.Model.CommandSpec spec, java.nio.file.Path out) {
        Flags.usage(spec, () -> {
            PngImages.checkPngName(out);
            return out;
        });
    }

    /** Parses "5.38,2.24". */
    static List<Double> parseSigmas(CommandLine.Model.CommandSpec spec, String text) {
        try {
            return java.util.Arrays.stream(text.split(",")).map(String::trim).map(Double::parseDouble).toList();
        } catch (NumberFormatException e) {
            throw Flags.usageError(spec, "--sigmas \"" + text + "\" is not a list of numbers. Write it like "
                    + "\"5.38,2.24\".");
        }
    }

    /**
     * Writes the grid PNG with the settings in its tEXt chunk and prints the report.
     *
     * @return the exit code 0
     */
    static int finish(ImageResult r, Path out, int gap, boolean json) {
        GenerationRequest request = r.settings();
        BufferedImage img = r.grid(gap);
        PngImages.write(out, img, request.toJson());
        int n = r.count();
        if (json) {
            ObjectNode report = ModelManifest.JSON.createObjectNode();
            report.set("settings", GenerationRequest.JSON.valueToTree(request));
            ArrayNode sig = report.putArray("sigmas");
            request.sigmas().forEach(sig::add);
            report.put("seconds", Math.round(r.seconds() * 1e4) / 1e4);
            report.put("out", out.toAbsolutePath().toString());
            report.put("images", n);
            report.put("width", img.getWidth());
            report.put("height", img.getHeight());
            if (request instanceof EditRequest e && e.detected() != null) {
                report.set("detected", GenerationRequest.JSON.valueToTree(e.detected()));
            }
            if (r.labels() != null) {
                ArrayNode l = report.putArray("labels");
                for (int v : r.labels()) {
                    l.add(v);
                }
            }
            try {
                System.out.println(ModelManifest.JSON.writeValueAsString(report));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            String seeds = request instanceof EditRequest e && e.seedA() != null
                    ? "seeds " + e.seedA() + " to " + e.seedB() : "seed " + request.seed();
            System.out.printf(Locale.ROOT, "Wrote %s: %d image%s %dx%d, %s, %s, %d step%s (sigma %s)%s in %.2f s%n",
                    out, n, n == 1 ? "" : "s", img.getWidth(), img.getHeight(), request.task(), seeds,
                    request.sigmas().size(), request.sigmas().size() == 1 ? "" : "s", sigmaText(request.sigmas()),
                    request.guidanceWeight() > 0 ? String.format(Locale.ROOT, ", guidance %.3g",
                            request.guidanceWeight()) : "", r.seconds());
            if (request instanceof EditRequest e && e.detected() != null) {
                System.out.println("detected: " + e.detected());
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
