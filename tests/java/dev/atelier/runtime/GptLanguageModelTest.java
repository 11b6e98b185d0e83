package dev.atelier.runtime;

import ai.djl.Device;
import dev.atelier.base.Engines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.atelier.AtelierException;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.lm.Gpt;
import dev.atelier.text.lm.LmTrainer;
import dev.atelier.train.StepGuard;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL transformer: KV cache against full recomputation, padding, save/load, and a few training steps. */
class GptLanguageModelTest {
    static final Gpt.Config TINY = new Gpt.Config(37, 16, 2, 2, 12);
    static NDManager manager;

    @BeforeAll
    static void engine() {
        Engines.configure(1);
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void cachedDecodingEqualsFullRecomputationWhileBeamsAreReordered() {
        try (Gpt gpt = Gpt.initialise(TINY, manager, 7)) {
            GptLanguageModel lm = new GptLanguageModel(gpt, 0, 0, true);
            LanguageModel cached = lm.withCache(true);
            LanguageModel full = lm.withCache(false);
            int[][] prompts = {{5, 6, 7}, {9}, {}};
            try (LanguageModel.Decoder a = cached.start(prompts); LanguageModel.Decoder b = full.start(prompts)) {
                assertClose(b.logProbs(), a.logProbs());
                // expand to 4 beams, shuffle parents, and run past the context (12) to force a cache rebuild
                int[][] parents = {{0, 0, 1, 2}, {3, 1, 1, 0}, {2, 2, 3, 1}, {0, 1, 2, 3}};
                for (int step = 0; step < 14; step++) {
                    int[] p = parents[step % parents.length];
                    int[] t = {(step * 7) % 37, (step * 11 + 3) % 37, (step * 5 + 1) % 37, step % 37};
                    a.advance(p, t);
                    b.advance(p, t);
                    if (step < 8) {
                        // within the context both decoders see exactly the same tokens
                        assertClose(b.logProbs(), a.logProbs());
                    }
                    for (float[] row : a.logProbs()) {
                        assertEquals(1.0, sumExp(row), 1e-4);
                    }
                }
            }
        }
    }

    @Test
    void aBranchEqualsAFreshStartAndLeavesItsDecoderAlone() {
        try (Gpt gpt = Gpt.initialise(TINY, manager, 11)) {
            LanguageModel lm = new GptLanguageModel(gpt, 0, 0, true).withCache(true);
            assertBranchesAreIndependent(lm, new int[][] {{5, 6, 7}, {9}});
        }
    }

    /**
     * Branches a decoder twice (a rollout of two tokens) and checks every branch step and the decoder itself
     * against fresh decoders started on the whole sequences.
     */
    static void assertBranchesAreIndependent(LanguageModel lm, int[][] prompts) {
        try (LanguageModel.Decoder d = lm.start(prompts)) {
            d.advance(new int[] {0, 1, 1}, new int[] {3, 4, 8});
            float[][] before = d.logProbs();
            int[][] rows = {append(prompts[0], 3), append(prompts[1], 4), append(prompts[1], 8)};
            int[] parents = {2, 0, 2, 1};
            int[] tokens = {1, 2, 6, 6};
            try (LanguageModel.Decoder b = d.branch(parents, tokens)) {
                int[][] ext = new int[parents.length][];
                for (int i = 0; i < parents.length; i++) {
                    ext[i] = append(rows[parents[i]], tokens[i]);
                }
                try (LanguageModel.Decoder fresh = lm.start(ext)) {
                    assertClose(fresh.logProbs(), b.logProbs());
                }
                b.advance(new int[] {0, 1, 2, 3}, new int[] {7, 7, 2, 5});
                int[][] ext2 = {append(ext[0], 7), append(ext[1], 7), append(ext[2], 2), append(ext[3], 5)};
                try (LanguageModel.Decoder fresh = lm.start(ext2)) {
                    assertClose(fresh.logProbs(), b.logProbs());
                }
            }
            assertClose(before, d.logProbs());
            d.advance(new int[] {0, 2}, new int[] {9, 10});
            try (LanguageModel.Decoder fresh = lm.start(new int[][] {append(rows[0], 9), append(rows[2], 10)})) {
                assertClose(fresh.logProbs(), d.logProbs());
            }
        }
    }

    /**
     * Peeking (the last position of a lookahead rollout, computed without copying the KV cache) gives what fresh
     * decoders started on the extended sequences give, for every way the rows can be asked for: all rows in order,
     * most of them in order (all are computed, the others dropped), a few or out of order (gathered), rows with left
     * padding, and past the end of the context (where it equals a branch); and it leaves the decoder where it was.
     */
    @Test
    void peekingEqualsAFreshStartAndLeavesItsDecoderAlone() {
        try (Gpt gpt = Gpt.initialise(TINY, manager, 13)) {
            // sharper attention than at initialisation, so that a wrong key, value or mask shows in the numbers
            gpt.parameters().forEach((name, a) -> {
                if (name.endsWith("qkv.w")) {
                    a.muli(30f);
                }
            });
            LanguageModel lm = new GptLanguageModel(gpt, 0, 0, true);
            int[][] prompts = new int[8][];
            for (int r = 0; r < prompts.length; r++) {
                prompts[r] = new int[1 + r % 4];
                for (int j = 0; j < prompts[r].length; j++) {
                    prompts[r][j] = 1 + (7 * r + 3 * j) % 36;
                }
            }
            int[][] asked = {{0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 5, 6, 7}, {6, 1}, {3, 3, 0}};
            try (LanguageModel.Decoder d = lm.start(prompts)) {
                int[][] rows = prompts;
                for (int step = 0; step < 10; step++) {
                    float[][] before = d.logProbs();
                    for (int[] parents : asked) {
                        int[] tokens = new int[parents.length];
                        int[][] ext = new int[parents.length][];
                        for (int i = 0; i < parents.length; i++) {
                            tokens[i] = 1 + (5 * i + step) % 36;
                            ext[i] = append(rows[parents[i]], tokens[i]);
                        }
                        float[][] peeked = d.peek(parents, tokens);
                        try (LanguageModel.Decoder branch = d.branch(parents, tokens)) {
                            assertClose(branch.logProbs(), peeked);
                        }
                        if (Arrays.stream(ext).allMatch(e -> e.length <= TINY.context())) {
                            // (beyond the context a decoder keeps a longer window than a fresh one)
                            try (LanguageModel.Decoder fresh = lm.start(ext)) {
                                assertClose(fresh.logProbs(), peeked);
                            }
                        }
                        assertClose(before, d.logProbs());
                    }
                    int[] parents = {7, 6, 5, 4, 3, 2, 1, 0};
                    int[] tokens = new int[8];
                    int[][] next = new int[8][];
                    for (int i = 0; i < 8; i++) {
                        tokens[i] = 2 + i + step;
                        next[i] = append(rows[parents[i]], tokens[i]);
                    }
                    d.advance(parents, tokens);
                    rows = next;
                    if (Arrays.stream(rows).allMatch(e -> e.length <= TINY.context())) {
                        try (LanguageModel.Decoder fresh = lm.start(rows)) {
                            assertClose(fresh.logProbs(), d.logProbs());
                        }
                    }
                }
            }
        }
    }

    private static int[] append(int[] a, int t) {
        int[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = t;
        return out;
    }

    @Test
    void attentionIsCausal() {
        try (Gpt gpt = Gpt.initialise(TINY, manager, 5); NDManager m = manager.newSubManager()) {
            long[] a = {3, 1, 4, 1, 5, 9, 2, 6};
            long[] b = {3, 1, 4, 1, 7, 7, 7, 7}; // differs from position 4 on
            float[] la = gpt.forward(m.create(a, new ai.djl.ndarray.types.Shape(1, 8))).toFloatArray();
            float[] lb = gpt.forward(m.create(b, new ai.djl.ndarray.types.Shape(1, 8))).toFloatArray();
            int v = TINY.vocab();
            for (int i = 0; i < 4 * v; i++) {
                assertEquals(la[i], lb[i], 1e-5, "positions before the change must not see it");
            }
            boolean differs = false;
            for (int i = 4 * v; i < 8 * v; i++) {
                differs |= Math.abs(la[i] - lb[i]) > 1e-4;
            }
            assertTrue(differs);
        }
    }

    @Test
    void aRowDoesNotDependOnItsPaddedNeighbours() {
        try (Gpt gpt = Gpt.initialise(TINY, manager, 3)) {
            LanguageModel lm = new GptLanguageModel(gpt, 0, 0, true).withCache(true);
            float[][] alone;
            float[][] together;
            try (LanguageModel.Decoder d = lm.start(new int[][] {{4, 2}})) {
                d.advance(new int[] {0}, new int[] {8});
                alone = d.logProbs();
            }
            try (LanguageModel.Decoder d = lm.start(new int[][] {{1, 2, 3, 4, 5}, {4, 2}})) {
                d.advance(new int[] {0, 1}, new int[] {6, 8});
                together = d.logProbs();
            }
            assertClose(alone, new float[][] {together[1]});
        }
    }

    /** A listener that keeps every step's loss. */
    static LmTrainer.Listener recorder(List<Double> losses) {
        return new LmTrainer.Listener() {
            @Override public void step(long step, double loss, double lr, double tps) { losses.add(loss); }
            @Override public void checkpoint(long step, Gpt model) { }
        };
    }

    @Test
    void aFewTrainingStepsLowerTheLossAndTheCheckpointResumes(@TempDir Path dir) throws Exception {
        // a stream with a simple rule (each token is the previous + 1, mod 10, after a random start)
        int[] tokens = new int[4000];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i % 20 == 0 ? r.nextInt(10) : (tokens[i - 1] + 1) % 10;
        }
        Gpt.Config c = new Gpt.Config(10, 16, 1, 2, 12);
        List<Double> losses = new ArrayList<>();
        LmTrainer.Listener record = recorder(losses);
        Path ckpt = dir.resolve("ckpt.ndlist");
        LmTrainer t = new LmTrainer(c, new LmTrainer.Options(8, 60, 1e-2f, 5, 3, 0f), tokens);
        assertEquals(40, t.run(manager, ckpt, false, 1e9, record, () -> losses.size() >= 40));
        // stopped early at step 40 (as on Ctrl+C), checkpoint written; resume to 60
        assertEquals(40, losses.size());
        assertEquals(60, t.run(manager, ckpt, true, 1e9, record, () -> false));
        assertEquals(60, losses.size());
        double first = losses.get(0);
        double last = (losses.get(57) + losses.get(58) + losses.get(59)) / 3;
        assertEquals(Math.log(10), first, 0.3); // an untrained model is near uniform
        // the rule makes 19 of 20 tokens predictable: the loss must fall far below uniform
        assertTrue(last < 0.5 * Math.log(10), "loss " + first + " -> " + last);
    }

    @Test
    void aDivergingRunSkipsItsBadStepsThenStopsAtTheGuardsLimit(@TempDir Path dir) throws Exception {
        int[] tokens = new int[2000];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7) % 10;
        }
        Gpt.Config c = new Gpt.Config(10, 16, 1, 2, 12);
        List<Double> losses = new ArrayList<>();
        LmTrainer.Listener record = recorder(losses);
        Path ckpt = dir.resolve("ckpt.ndlist");
        // a learning rate of 1e30 throws the weights far out at the first update: the forward overflows after it
        LmTrainer t = new LmTrainer(c, new LmTrainer.Options(4, 200, 1e30f, 0, 3, 0f), tokens);
        AtelierException e = assertThrows(AtelierException.class,
                () -> t.run(manager, ckpt, false, 1e9, record, () -> false));
        assertTrue(e.getMessage().contains(StepGuard.LIMIT + " steps in a row"), e.getMessage());
        int bad = 0;
        for (int i = losses.size() - 1; i >= 0 && losses.get(i).isNaN(); i--) {
            bad++;
        }
        // the listener saw LIMIT − 1 skipped steps; the LIMIT-th throws
        assertEquals(StepGuard.LIMIT - 1, bad, losses.toString());
        assertTrue(Double.isFinite(losses.get(0)), losses.toString());
    }

    @Test
    void savedWeightsReloadAndWrongShapesAreRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.ndlist");
        float[][] before;
        try (Gpt gpt = Gpt.initialise(TINY, manager, 11)) {
            try (OutputStream out = Files.newOutputStream(file)) {
                gpt.save(out);
            }
            try (LanguageModel.Decoder d = new GptLanguageModel(gpt, 0, 0, true).withCache(true).start(new int[][] {{1, 2}})) {
                before = d.logProbs();
            }
        }
        try (Gpt back = Gpt.load(TINY, manager, file)) {
            try (LanguageModel.Decoder d = new GptLanguageModel(back, 0, 0, true).withCache(true).start(new int[][] {{1, 2}})) {
                assertClose(before, d.logProbs());
            }
        }
        AtelierException e = assertThrows(AtelierException.class,
                () -> Gpt.load(new Gpt.Config(37, 16, 3, 2, 12), manager, file));
        assertTrue(e.getMessage().contains("h2.ln1.g"), e.getMessage());
        Files.writeString(dir.resolve("junk"), "not weights");
        assertThrows(AtelierException.class, () -> Gpt.load(TINY, manager, dir.resolve("junk")));
    }

    static double sumExp(float[] row) {
        double s = 0;
        for (float v : row) {
            s += Math.exp(v);
        }
        return s;
    }

    static void assertClose(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int r = 0; r < expected.length; r++) {
            for (int i = 0; i < expected[r].length; i++) {
                assertEquals(expected[r][i], actual[r][i], 2e-4, "row " + r + " token " + i);
            }
        }
    }
}
