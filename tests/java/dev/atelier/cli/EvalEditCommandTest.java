package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.base.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier eval-edit} end to end on the tiny IDX fixture: a tiny trained model, its evaluation classifier, the
 * class-inference classifier fitted on kept views, then one inpainting and one denoising evaluation in JSON.
 */
class EvalEditCommandTest {
    @Test
    void fitsTheKeptClassifierAndReportsAccuraciesDistanceExactnessAndTime(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("m");
        assertEquals(0, AtelierCommand.execute(TrainCmResumeTest.args(out, "--session-steps", "2")));
        assertEquals(0, AtelierCommand.execute("eval-cm", "--fit-classifier", "--data", TrainCmResumeTest.DATA,
                "--model", out.toString(), "--epochs", "1", "--threads", "1", "--device", "cpu"));
        CliTestSupport.Result none = CliTestSupport.run("eval-edit", "--fit-classifier", "--continue", "--data",
                TrainCmResumeTest.DATA, "--model", out.toString(), "--threads", "1", "--device", "cpu");
        assertTrue(none.exit() != 0 && none.err().contains("Fit one first without --continue"), none.err());
        assertTrue(!Files.exists(out.resolve("kept-classifier/manifest.json")), "nothing half-written");
        assertEquals(0, AtelierCommand.execute("eval-edit", "--fit-classifier", "--data", TrainCmResumeTest.DATA,
                "--model", out.toString(), "--epochs", "1", "--threads", "1", "--device", "cpu"));
        assertTrue(Files.isRegularFile(out.resolve("kept-classifier/manifest.json")));
        ModelManifest first = ModelManifest.read(out.resolve("kept-classifier"));
        CliTestSupport.Result views = CliTestSupport.run("eval-edit", "--fit-classifier", "--continue", "--views",
                "quarters", "--data", TrainCmResumeTest.DATA, "--model", out.toString(), "--threads", "1");
        assertTrue(views.exit() == 2 && views.err().contains("--views quarters is not one of all, halves"), views.err());
        CliTestSupport.Result lr = CliTestSupport.run("eval-edit", "--fit-classifier", "--continue", "--lr", "0",
                "--data", TrainCmResumeTest.DATA, "--model", out.toString(), "--threads", "1");
        assertTrue(lr.exit() == 2 && lr.err().contains("--lr 0.0 is out of range"), lr.err());
        assertEquals(0, AtelierCommand.execute("eval-edit", "--fit-classifier", "--continue", "--views", "halves",
                "--data", TrainCmResumeTest.DATA, "--model", out.toString(), "--epochs", "1", "--seed", "2",
                "--threads", "1", "--device", "cpu"));
        ModelManifest second = ModelManifest.read(out.resolve("kept-classifier"));
        assertTrue(!first.sha256.equals(second.sha256), "--continue trains the weights further");
        assertEquals(2 * first.training.steps, second.training.steps, "one more epoch of the same steps, summed");
        assertTrue(second.training.command.startsWith(first.training.command + "; then "), second.training.command);

        CliTestSupport.Result r = CliTestSupport.run("eval-edit", "--model", out.toString(), "--data",
                TrainCmResumeTest.DATA, "--task", "inpaint", "--mask", "centre", "--count", "6", "--interactive-runs",
                "1", "--json", "--threads", "1", "--device", "cpu");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = ModelManifest.JSON.readTree(r.out());
        assertEquals(6, j.get("count").asInt());
        assertEquals(6, j.get("known_exact").asInt(), "every edit keeps its known pixels bit-exact");
        for (String k : new String[] {"accuracy_originals", "accuracy_baseline", "accuracy_edited", "class_agreement"}) {
            double v = j.get(k).asDouble();
            assertTrue(v >= 0 && v <= 1, k + " " + v);
            assertEquals(0, Math.round(v * 6 * 1e6) % 1_000_000, k + " is a share of 6 images");
        }
        assertTrue(j.get("fd").asDouble() >= 0);
        assertEquals(0.0, j.get("guidance").asDouble(), "the model's manifest asks for no guidance");
        assertTrue(j.get("seconds_per_image").asDouble() > 0 && j.get("interactive_ms").asDouble() > 0);

        CliTestSupport.Result d = CliTestSupport.run("eval-edit", "--model", out.toString(), "--data",
                TrainCmResumeTest.DATA, "--task", "denoise", "--sigma", "0.5", "--count", "4", "--class-from", "truth",
                "--interactive-runs", "0", "--json", "--threads", "1", "--device", "cpu");
        assertEquals(0, d.exit(), d.err());
        JsonNode dj = ModelManifest.JSON.readTree(d.out());
        assertEquals("[0.5]", dj.get("sigmas").toString());
        assertEquals(0.0, dj.get("guidance").asDouble(), "denoising runs unguided (no manifest entry)");
        assertEquals(2, CliTestSupport.run("eval-edit", "--model", out.toString(), "--task", "denoise", "--guidance",
                "1").exit(), "denoise is one evaluation at --sigma: --guidance is a usage error");
        assertEquals(1.0, dj.get("class_agreement").asDouble(), "--class-from truth uses the test labels");

        assertEquals(2, CliTestSupport.run("eval-edit", "--model", out.toString(), "--task", "stroke").exit(),
                "stroke has no known answer: a usage error");
    }
}
