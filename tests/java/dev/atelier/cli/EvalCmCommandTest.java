package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.base.ModelManifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code atelier eval-cm} end to end on the tiny IDX fixture: fit the classifier, then evaluate, JSON report. */
class EvalCmCommandTest {
    @Test
    void fitsClassifierAndReportsHistogramConfidenceAndDistance(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("m");
        assertEquals(0, AtelierCommand.execute(TrainCmResumeTest.args(out, "--session-steps", "2")));
        assertEquals(0, AtelierCommand.execute("eval-cm", "--fit-classifier", "--data", TrainCmResumeTest.DATA,
                "--model", out.toString(), "--epochs", "2", "--threads", "1", "--device", "cpu"));
        assertTrue(Files.isRegularFile(out.resolve("classifier/manifest.json")));
        assertTrue(Files.isRegularFile(out.resolve("classifier/stats.ckpt")));

        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = AtelierCommand.execute("eval-cm", "--model", out.toString(), "--steps", "2", "--count", "9",
                    "--seed", "3", "--json", "--threads", "1", "--device", "cpu", "--grid", tmp.resolve("g.png").toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        JsonNode r = ModelManifest.JSON.readTree(buf.toString(StandardCharsets.UTF_8));
        assertEquals(2, r.get("steps").asInt());
        assertEquals(9, r.get("count").asInt());
        double total = 0;
        for (JsonNode v : r.get("histogram")) {
            total += v.asDouble();
        }
        assertEquals(1.0, total, 1e-9);
        assertEquals(3, r.get("histogram").size());
        double conf = r.get("mean_confidence").asDouble();
        assertTrue(conf >= 1.0 / 3 - 1e-6 && conf <= 1.0, "confidence " + conf);
        assertTrue(r.get("fd").asDouble() >= 0);
        assertTrue(r.get("fd_train_test").asDouble() >= 0);
        assertTrue(r.has("class_agreement"));
        java.awt.image.BufferedImage g = javax.imageio.ImageIO.read(tmp.resolve("g.png").toFile());
        assertEquals(3 * 8, g.getWidth());
        assertEquals(3 * 8, g.getHeight());

        // a step count the manifest has no schedule for is bad input (exit 1), not a crash
        assertEquals(1, AtelierCommand.execute("eval-cm", "--model", out.toString(), "--steps", "7", "--count", "2",
                "--threads", "1", "--device", "cpu"));
    }
}
