package dev.atelier.cli;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.consistency.network.UNetConsistencyModel;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code atelier train-cm} end to end on a tiny IDX fixture: an interrupted and resumed run equals an uninterrupted one. */
class TrainCmResumeTest {
    static final String DATA = "tests/resources/idx/tiny";

    static String[] args(Path out, String... extra) {
        String[] base = {"train-cm", "--data", DATA, "--out", out.toString(), "--steps", "8", "--batch", "4",
            "--seed", "5", "--unet", "8-16", "--threads", "1", "--device", "cpu", "--checkpoint-minutes", "1000"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void resumedRunEqualsUninterruptedRunBitForBit(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole");
        Path parts = tmp.resolve("parts");
        assertEquals(0, AtelierCommand.execute(args(whole)));
        assertEquals(0, AtelierCommand.execute(args(parts, "--session-steps", "3")));
        assertEquals(3, Checkpoint.read(parts.resolve("checkpoint.ckpt")).header().get("step").asLong());
        assertEquals(0, AtelierCommand.execute(args(parts, "--resume", "--session-steps", "2")));
        assertEquals(0, AtelierCommand.execute(args(parts, "--resume")));

        Checkpoint a = Checkpoint.read(whole.resolve("checkpoint.ckpt"));
        Checkpoint b = Checkpoint.read(parts.resolve("checkpoint.ckpt"));
        assertEquals(8, a.header().get("step").asLong());
        assertEquals(8, b.header().get("step").asLong());
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        assertTrue(a.tensors().keySet().stream().anyMatch(k -> k.startsWith("adam.m/")));
        for (Map.Entry<String, Checkpoint.Tensor> e : a.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.tensors().get(e.getKey()).data(), e.getKey());
        }
        assertEquals(a.header().get("random"), b.header().get("random"));

        // the model directory is a loadable model with the EMA weights and a complete manifest
        ModelManifest m = ModelManifest.read(parts);
        assertEquals("consistency", m.kind);
        assertEquals(8L, m.training.steps);
        assertEquals(ModelManifest.sha256(parts.resolve(m.weights)), m.sha256);
        assertEquals(3, m.classes.size());
        try (UNetConsistencyModel model = UNetConsistencyModel.load(parts, Device.cpu())) {
            assertEquals(8, model.size());
            assertEquals(3, model.numClasses());
        }
        assertTrue(Files.size(parts.resolve("checkpoint-loss.csv")) > 0);
        assertEquals(9, Files.readAllLines(parts.resolve("checkpoint-loss.csv")).size(), "header + 8 steps, none twice");
        assertTrue(Files.size(parts.resolve("checkpoint-loss.png")) > 0);
    }

    @Test
    void refusesToOverwriteACheckpointWithoutResume(@TempDir Path tmp) {
        Path out = tmp.resolve("m");
        assertEquals(0, AtelierCommand.execute(args(out, "--session-steps", "1")));
        assertEquals(1, AtelierCommand.execute(args(out)));
        // issue #16: resuming with a shape flag that differs from the checkpoint is refused, not silently ignored;
        // a temporary left by a killed writer (its process is gone) is cleaned up on resume
        Path stale = out.resolve(".checkpoint.ckpt.999999999-killed.tmp");
        assertTrue(stale.toFile().getParentFile().isDirectory());
        try {
            Files.write(stale, new byte[] {1});
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(1, AtelierCommand.execute(args(out, "--resume", "--blocks", "2")));
        assertTrue(!Files.exists(stale), "the dead writer's temporary is gone");
        assertEquals(1, AtelierCommand.execute(args(tmp.resolve("none"), "--resume")));
        assertEquals(1, AtelierCommand.execute("train-cm", "--data", "no/such/dir", "--out", tmp.resolve("x").toString(),
                "--steps", "2", "--threads", "1", "--device", "cpu"));
        assertEquals(2, AtelierCommand.execute(args(tmp.resolve("y"), "--recipe", "lpips")));
        assertEquals(2, AtelierCommand.execute("train-cm", "--out", tmp.resolve("z").toString()));
    }
}
