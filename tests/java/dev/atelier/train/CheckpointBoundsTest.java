package dev.atelier.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16, class 2: every length in a checkpoint header is checked against the bytes the file holds before
 * anything is allocated, so a damaged file gives a message, never an OutOfMemoryError, a negative array size or
 * an int overflow.
 */
class CheckpointBoundsTest {
    static final Path HOSTILE = Path.of("tests/resources/hostile");

    @Test
    void damagedLengthsInTheHostileCorpusAreRefused() {
        for (String name : new String[] {"checkpoint-negative-header.ckpt", "checkpoint-huge-header.ckpt",
                "checkpoint-huge-tensor.ckpt", "checkpoint-overflowing-shape.ckpt", "checkpoint-huge-rank.ckpt",
                "checkpoint-huge-count.ckpt"}) {
            AtelierException e = assertThrows(AtelierException.class, () -> Checkpoint.read(HOSTILE.resolve(name)),
                    name);
            assertTrue(e.getMessage().contains("cannot be read") || e.getMessage().contains("cut short"),
                    name + ": " + e.getMessage());
        }
    }

    @Test
    void everyTruncationAndRandomDamageGivesAMessage(@TempDir Path tmp) throws IOException {
        Checkpoint c = new Checkpoint();
        c.header().put("step", 7);
        c.tensors().put("a", new Checkpoint.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        c.tensors().put("b", new Checkpoint.Tensor(new long[] {4}, new float[] {-1, 0, 1, 2}));
        Path good = tmp.resolve("good.ckpt");
        c.write(good);
        assertArrayEquals(new float[] {-1, 0, 1, 2}, Checkpoint.read(good).require("b").data());
        byte[] bytes = Files.readAllBytes(good);
        Path bad = tmp.resolve("bad.ckpt");
        for (int len = 0; len < bytes.length; len++) { // property: every proper prefix is refused
            Files.write(bad, Arrays.copyOf(bytes, len));
            int at = len;
            assertThrows(AtelierException.class, () -> Checkpoint.read(bad), "cut at " + at);
        }
        Random r = new Random(16);
        for (int trial = 0; trial < 500; trial++) { // property: random damage is read or refused, nothing else
            byte[] b = bytes.clone();
            int at = r.nextInt(b.length);
            b[at] = (byte) r.nextInt(256);
            Files.write(bad, b);
            try {
                Checkpoint.read(bad);
            } catch (AtelierException expected) {
                // a message is the right outcome
            }
        }
    }
}
