package dev.atelier.consistency.training;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.AtelierException;
import dev.atelier.cli.AtelierCommand;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript CD teacher: the engine's 8×8 gray fixture (forward(x, sigma) → tensor, outputs recorded by
 * PyTorch in expected.json) is loaded as a "denoiser" and must reproduce those outputs; train-cm --recipe cd
 * then runs with it end to end.
 */
class TorchScriptDenoiserTest {
    static final Path FIXTURE = Path.of("tests/resources/consistency/good-inside");

    static Path teacherDir(Path tmp) throws Exception {
        Path dir = tmp.resolve("teacher");
        Files.createDirectories(dir);
        Files.copy(FIXTURE.resolve("model.pt"), dir.resolve("model.pt"));
        ModelManifest m = new ModelManifest();
        m.kind = "denoiser";
        m.name = "fixture teacher";
        m.weights = "model.pt";
        m.write(dir);
        return dir;
    }

    @Test
    void reproducesThePyTorchOutputs(@TempDir Path tmp) throws Exception {
        JsonNode e = ModelManifest.JSON.readTree(Files.readString(FIXTURE.resolve("expected.json")));
        float[] x = new float[e.get("x").size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) e.get("x").get(i).asDouble();
        }
        float[] sigma = new float[e.get("sigma").size()];
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] = (float) e.get("sigma").get(i).asDouble();
        }
        try (NDManager m = NDManager.newBaseManager();
             TorchScriptDenoiser d = TorchScriptDenoiser.load(teacherDir(tmp), Device.cpu())) {
            float[] out = d.denoise(m.create(x, new Shape(3, 1, 8, 8)), sigma, null).toFloatArray();
            for (int i = 0; i < out.length; i++) {
                assertEquals(e.get("f").get(i).asDouble(), out[i], 1e-5, "value " + i);
            }
        }
    }

    @Test
    void distillsFromItThroughTheCommandLine(@TempDir Path tmp) throws Exception {
        Path teacher = teacherDir(tmp);
        Path out = tmp.resolve("student");
        assertEquals(0, AtelierCommand.execute("train-cm", "--data", "tests/resources/idx/tiny", "--out",
                out.toString(), "--steps", "3", "--batch", "4", "--seed", "2", "--unet", "8-16", "--recipe", "cd",
                "--teacher", teacher.toString(), "--unconditional", "--threads", "1", "--device", "cpu"));
        Checkpoint c = Checkpoint.read(out.resolve("checkpoint.ckpt"));
        assertEquals(3, c.header().get("step").asLong());
        assertEquals("CD", c.header().get("train").get("recipe").asText());
        // a teacher directory that is not a denoiser is refused with a message, not a crash
        Path wrong = tmp.resolve("wrong");
        Files.createDirectories(wrong);
        Files.copy(FIXTURE.resolve("manifest.json"), wrong.resolve("manifest.json"));
        assertThrows(AtelierException.class, () -> TorchScriptDenoiser.load(wrong, Device.cpu()));
        assertEquals(1, AtelierCommand.execute("train-cm", "--data", "tests/resources/idx/tiny", "--out",
                tmp.resolve("s2").toString(), "--steps", "2", "--recipe", "cd", "--threads", "1", "--device", "cpu"));
    }
}
