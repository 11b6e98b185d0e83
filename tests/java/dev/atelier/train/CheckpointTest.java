package dev.atelier.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.AtelierException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single-file checkpoint: round trip of header, tensors and random streams; damaged files are refused. */
class CheckpointTest {
    @Test
    void roundTripKeepsEverything(@TempDir Path tmp) throws Exception {
        Checkpoint c = new Checkpoint();
        c.header().put("step", 1234L);
        c.header().putObject("train").put("lr", 2e-4);
        c.tensors().put("a/w", new Checkpoint.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.NaN}));
        c.tensors().put("b", new Checkpoint.Tensor(new long[] {}, new float[] {-0.5f}));
        RandomStream r = new RandomStream(42);
        r.nextGaussian(); // leaves a spare Gaussian in the state
        c.putRandom("noise", r);
        Path file = tmp.resolve("x.ckpt");
        c.write(file);
        c.write(file); // overwritten in place
        Checkpoint d = Checkpoint.read(file);
        assertEquals(1234L, d.header().get("step").asLong());
        assertEquals(2e-4, d.header().get("train").get("lr").asDouble());
        assertEquals(Arrays.asList("a/w", "b"), d.tensors().keySet().stream().toList());
        assertArrayEquals(new long[] {2, 3}, d.require("a/w").shape());
        assertArrayEquals(c.require("a/w").data(), d.require("a/w").data());
        assertEquals(1, d.group("a/").size());
        RandomStream s = new RandomStream(0);
        d.restoreRandom("noise", s);
        for (int i = 0; i < 5; i++) {
            assertEquals(r.nextGaussian(), s.nextGaussian());
            assertEquals(r.nextLong(), s.nextLong());
        }
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void damagedOrForeignFilesAreRefused(@TempDir Path tmp) throws Exception {
        Checkpoint c = new Checkpoint();
        c.tensors().put("w", new Checkpoint.Tensor(new long[] {100}, new float[100]));
        Path file = tmp.resolve("x.ckpt");
        c.write(file);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 10));
        assertThrows(AtelierException.class, () -> Checkpoint.read(file));
        Files.writeString(file, "PK not a checkpoint");
        assertThrows(AtelierException.class, () -> Checkpoint.read(file));
        assertThrows(AtelierException.class, () -> Checkpoint.read(tmp.resolve("missing.ckpt")));
        assertThrows(AtelierException.class, () -> c.require("nope"));
    }
}
