package dev.atelier.runtime;

import dev.atelier.base.ModelFileKind;
import dev.atelier.base.ModelManifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.AtelierException;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.network.UNetConfig;
import dev.atelier.consistency.network.UNetConsistencyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading TorchScript fixtures (made by tests/resources/consistency/make_fixtures.py) and refusing bad files. */
class ConsistencyModelsTest {
    static final Path FIXTURES = Path.of("tests/resources/consistency");

    @Test
    void sniffsEveryFixtureFromItsBytes() throws IOException {
        assertEquals(ModelFileKind.TORCHSCRIPT, ModelFileKind.of(FIXTURES.resolve("good-inside/model.pt")));
        assertEquals(ModelFileKind.TORCHSCRIPT, ModelFileKind.of(FIXTURES.resolve("good-outside/model.pt")));
        assertEquals(ModelFileKind.TORCH_SAVE_CHECKPOINT, ModelFileKind.of(FIXTURES.resolve("checkpoint/model.pt")));
        assertEquals(ModelFileKind.PICKLE, ModelFileKind.of(FIXTURES.resolve("pickle/model.pt")));
        assertEquals(ModelFileKind.UNKNOWN, ModelFileKind.of(FIXTURES.resolve("make_fixtures.py")));
    }

    /** f computed by PyTorch when the fixture was made must be reproduced through DJL, scalings inside or out. */
    @Test
    void goodModelsReproducePyTorchOutputs() throws IOException {
        for (String name : new String[] {"good-inside", "good-outside"}) {
            JsonNode e = ModelManifest.JSON.readTree(FIXTURES.resolve(name + "/expected.json").toFile());
            try (LoadedConsistencyModel m = ConsistencyModels.load(FIXTURES.resolve(name), Device.cpu())) {
                float[] x = floats(e.get("x"));
                float[] sigma = floats(e.get("sigma"));
                int[] labels = null;
                if (e.get("labels").isArray()) {
                    labels = new int[e.get("labels").size()];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = e.get("labels").get(i).asInt();
                    }
                }
                float[] f = m.model().denoise(x, sigma, labels);
                float[] want = floats(e.get("f"));
                assertEquals(want.length, f.length);
                for (int i = 0; i < f.length; i++) {
                    assertEquals(want[i], f[i], 1e-4 * Math.max(1, Math.abs(want[i])), name + " value " + i);
                }
            }
        }
    }

    @Test
    void loadsAWeightsFileWithItsManifestBeside() {
        try (LoadedConsistencyModel m = ConsistencyModels.load(FIXTURES.resolve("good-inside/model.pt"), Device.cpu())) {
            assertEquals(8, m.model().size());
            assertEquals(1, m.model().channels());
            assertEquals(2, m.defaultSteps());
        }
    }

    @Test
    void refusesPickleAndCheckpointBeforeLibtorch() {
        AtelierException p = assertThrows(AtelierException.class,
                () -> ConsistencyModels.load(FIXTURES.resolve("pickle"), Device.cpu()));
        assertTrue(p.getMessage().contains("raw Python pickle"), p.getMessage());
        AtelierException c = assertThrows(AtelierException.class,
                () -> ConsistencyModels.load(FIXTURES.resolve("checkpoint"), Device.cpu()));
        assertTrue(c.getMessage().contains("torch.save checkpoint"), c.getMessage());
    }

    @Test
    void wrongChannelsAndWrongShapeFailTheDryRun() {
        AtelierException ch = assertThrows(AtelierException.class,
                () -> ConsistencyModels.load(FIXTURES.resolve("wrong-channels"), Device.cpu()));
        assertTrue(ch.getMessage().contains("failed its test run"), ch.getMessage());
        AtelierException sh = assertThrows(AtelierException.class,
                () -> ConsistencyModels.load(FIXTURES.resolve("wrong-shape"), Device.cpu()));
        assertTrue(sh.getMessage().contains("shape"), sh.getMessage());
    }

    /** A manifest whose classes or image size disagree with the network fails the dry run, named. */
    @Test
    void manifestsThatDisagreeWithTheNetworkAreRefused(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        Files.copy(FIXTURES.resolve("good-outside/model.pt"), dir.resolve("model.pt"));
        ModelManifest m = ModelManifest.read(FIXTURES.resolve("good-outside"));
        m.classes = null; // the network needs y
        m.write(dir);
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()))
                .getMessage().contains("failed its test run"));
        m.classes = java.util.List.of("a", "b", "c");
        m.image = new ModelManifest.Image(8, 1); // the network has 3 channels
        m.write(dir);
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()))
                .getMessage().contains("channels"));
        m.image = new ModelManifest.Image(8, 3);
        m.kind = "language";
        m.write(dir);
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()))
                .getMessage().contains("not a consistency model"));
    }

    /**
     * A network with more classes than the manifest names (here 3, named as 2) is refused, naming the extra label;
     * declaring that label as the network's "no class" loads it, and the null class then reaches the network as that
     * label: f(x, no class) equals f(x, label 2) of the same network loaded with all three names.
     */
    @Test
    void aNetworkWithMoreClassesThanTheManifestIsRefusedUnlessTheExtraOneIsItsNullClass(@TempDir Path tmp)
            throws IOException {
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        Files.copy(FIXTURES.resolve("good-outside/model.pt"), dir.resolve("model.pt"));
        ModelManifest m = ModelManifest.read(FIXTURES.resolve("good-outside"));
        m.classes = java.util.List.of("red", "green");
        m.write(dir);
        String msg = assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu())).getMessage();
        assertTrue(msg.contains("accepts class label 2") && msg.contains("\"null_class\": true"), msg);

        float[] x = new float[3 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        float[] expected;
        try (LoadedConsistencyModel all = ConsistencyModels.load(FIXTURES.resolve("good-outside"), Device.cpu())) {
            assertFalse(all.model().hasNullClass(), "no null_class in the fixture's manifest");
            expected = all.model().denoise(x, new float[] {2f}, new int[] {2});
        }
        m.null_class = true;
        m.write(dir);
        try (LoadedConsistencyModel two = ConsistencyModels.load(dir, Device.cpu())) {
            assertTrue(two.model().hasNullClass());
            assertEquals(2, two.model().numClasses());
            assertArrayEquals(expected, two.model().denoise(x, new float[] {2f},
                    new int[] {dev.atelier.consistency.ConsistencyModel.NO_CLASS}));
        }
    }

    /**
     * The peak-memory estimate by hand for a 2-level UNet (8×8, widths 8 and 16, 1 block, attention at 4×4):
     * skips 8·64 + 16·16 = 768; widest block input 2·8·64 = 1024, times 6 = 6144; attention 2·16² + 4·16·16 = 1536.
     */
    @Test
    void thePeakMemoryEstimateMatchesAHandCount() {
        UNetConfig cfg = new UNetConfig(8, 1, 8, new int[] {1, 2}, 1, true, 0);
        assertEquals(768 + 6144 + 1536, cfg.peakFloatsPerImage());
        assertEquals(768 + 6144, new UNetConfig(8, 1, 8, new int[] {1, 2}, 1, false, 0).peakFloatsPerImage());
    }

    /**
     * A manifest whose architecture would need hundreds of GB for the 2-image test run (512×512 with attention at
     * full resolution: a 262,144² score matrix) is refused before any tensor is allocated, with the estimate; the
     * shipped model's architecture is far inside the budget, and its batches are not cut below the engine's chunk.
     */
    @Test
    void anArchitectureTooBigForMemoryIsRefusedBeforeItsTestRun(@TempDir Path tmp) throws IOException {
        UNetConfig huge = new UNetConfig(512, 3, 8, new int[] {1}, 1, true, 0);
        ModelManifest m = new ModelManifest();
        m.kind = "consistency";
        m.name = "huge";
        m.c_noise = "ln(sigma)/4";
        m.scalings_inside = false;
        m.architecture = huge.toJson();
        m.weights = "weights.ckpt";
        m.write(tmp);
        Files.write(tmp.resolve("weights.ckpt"), new byte[16]);
        String msg = assertThrows(AtelierException.class, () -> ConsistencyModels.load(tmp, Device.cpu())).getMessage();
        assertTrue(msg.contains("would need about") && msg.contains("262144 positions"), msg);
        UNetConfig shipped = UNetConfig.fromJson(ModelManifest.read(
                Path.of("assets/models/fashion-mnist")).architecture);
        assertTrue(4L * shipped.peakFloatsPerImage() * dev.atelier.consistency.ConsistencyEngine.CHUNK
                < dev.atelier.Limits.memoryBudgetBytes() / 2, "the shipped model runs full chunks");
    }

    /** Bad sampling entries are the manifest's fault, reported when the model loads (not as a bad --steps). */
    @Test
    void badNoiseRangesDefaultStepsAndSchedulesAreRefusedAtLoad(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        Files.copy(FIXTURES.resolve("good-inside/model.pt"), dir.resolve("model.pt"));
        ModelManifest good = ModelManifest.read(FIXTURES.resolve("good-inside"));
        for (var breakIt : java.util.List.<java.util.function.Consumer<ModelManifest>>of(
                x -> x.default_steps = 0,
                x -> x.default_steps = 65,
                x -> x.schedules = java.util.Map.of("2", new double[] {0.8, 80.0}),
                x -> x.schedules = java.util.Map.of("3", new double[] {80.0, 0.8}),
                x -> x.schedules = java.util.Map.of("two", new double[] {80.0, 0.8}),
                x -> x.sigma_max = -1.0,
                x -> x.sigma_min = 100.0)) {
            ModelManifest m = ModelManifest.read(FIXTURES.resolve("good-inside"));
            breakIt.accept(m);
            m.write(dir);
            String msg = assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()))
                    .getMessage();
            assertTrue(msg.contains("manifest") && !msg.contains("--steps"), msg);
        }
        Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"atelier-model/1\",\n  \"kind\": ");
        String broken = assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()))
                .getMessage();
        assertTrue(broken.contains("not valid JSON") && broken.contains("line ") && !broken.contains("REDACTED"),
                broken);
        good.write(dir);
        try (LoadedConsistencyModel ok = ConsistencyModels.load(dir, Device.cpu())) {
            assertEquals(2, ok.defaultSteps());
        }
    }

    @Test
    void missingManifestEmptyAndForeignFilesAreRefused(@TempDir Path tmp) throws IOException {
        AtelierException nm = assertThrows(AtelierException.class,
                () -> ConsistencyModels.load(FIXTURES.resolve("no-manifest/model.pt"), Device.cpu()));
        assertTrue(nm.getMessage().contains("No manifest.json"), nm.getMessage());

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        Files.copy(FIXTURES.resolve("good-inside/manifest.json"), empty.resolve("manifest.json"));
        Files.write(empty.resolve("model.pt"), new byte[0]);
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(empty, Device.cpu()))
                .getMessage().contains("empty"));

        Files.writeString(empty.resolve("model.pt"), "definitely not a model");
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(empty, Device.cpu()))
                .getMessage().contains("not a TorchScript archive"));

        Files.delete(empty.resolve("model.pt"));
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(empty, Device.cpu()))
                .getMessage().contains("does not exist"));
    }

    /** A directory written by train-cm's save opens through the same entry point, and samples from the CLI. */
    @Test
    void atelierTrainedDirectoriesOpenAsUNetModels(@TempDir Path tmp) throws IOException {
        UNetConfig cfg = new UNetConfig(8, 1, 8, new int[] {1, 2}, 1, false, 2);
        float[] x = new float[2 * 64];
        java.util.Arrays.fill(x, 0.3f);
        float[] sigma = {5f, 0.5f};
        int[] labels = {1, 0};
        float[] before;
        try (UNetConsistencyModel m = UNetConsistencyModel.random(cfg, Parameterization.DEFAULT, 3, Device.cpu())) {
            before = m.denoise(x, sigma, labels);
            ModelManifest manifest = new ModelManifest();
            manifest.name = "tiny";
            manifest.c_noise = "ln(sigma)/4";
            manifest.scalings_inside = false;
            manifest.classes = java.util.List.of("cat", "dog");
            UNetConsistencyModel.save(tmp, m.network(), manifest);
        }
        try (LoadedConsistencyModel m = ConsistencyModels.load(tmp, Device.cpu())) {
            assertTrue(m.model() instanceof UNetConsistencyModel);
            assertArrayEquals(before, m.model().denoise(x, sigma, labels));
            assertEquals(1, m.classIndex("dog"));
        }
        Path out = tmp.resolve("grid.png");
        var r = dev.atelier.cli.CliTestSupport.run("sample", "--model", tmp.toString(), "--count", "4", "--class", "cat",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(out) > 0);
    }

    static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }
}
