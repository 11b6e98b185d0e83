package dev.atelier.runtime;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.base.ModelManifest;
import dev.atelier.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16, classes 3 and 6: every manifest is validated the same way on load (noise levels, geometry,
 * classes, ids), the files it names stay inside the model directory and are regular files, and weights
 * damaged in place are refused by their sha256.
 */
class ManifestHardeningTest {
    static final Path GOOD = Path.of("tests/resources/consistency/good-outside");

    static Path copyGood(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.copy(GOOD.resolve("model.pt"), dir.resolve("model.pt"));
        Files.copy(GOOD.resolve("manifest.json"), dir.resolve("manifest.json"));
        return dir;
    }

    static void edit(Path dir, java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectNode m = (ObjectNode) Json.read(dir.resolve("manifest.json"));
        change.accept(m);
        Files.writeString(dir.resolve("manifest.json"), Json.MAPPER.writeValueAsString(m));
    }

    static String refusal(Path dir) {
        return assertThrows(AtelierException.class, () -> ModelManifest.read(dir)).getMessage();
    }

    @Test
    void noiseLevelsMustBePositiveFiniteAndOrdered(@TempDir Path tmp) throws IOException {
        Path dir = copyGood(tmp);
        // property: any non-positive or non-finite σ, or σmin ≥ σmax, is refused naming the field
        Random r = new Random(3);
        double[] bad = {0, -1, -1e-9, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (String field : new String[] {"sigma_data", "sigma_min", "sigma_max"}) {
            for (double v : bad) {
                edit(dir, m -> m.put(field, v));
                assertTrue(refusal(dir).contains(field), field + " " + v);
                edit(dir, m -> m.put(field, field.equals("sigma_max") ? 80.0 : field.equals("sigma_min") ? 0.002 : 0.5));
            }
        }
        for (int trial = 0; trial < 20; trial++) {
            double min = 0.001 + r.nextDouble() * 100;
            double max = min * r.nextDouble();
            edit(dir, m -> m.put("sigma_min", min).put("sigma_max", max));
            assertTrue(refusal(dir).contains("below sigma_max"));
        }
    }

    @Test
    void geometryClassesAndIdsAreBounded(@TempDir Path tmp) throws IOException {
        Path dir = copyGood(tmp);
        edit(dir, m -> ((ObjectNode) m.get("image")).put("size", 4096));
        assertTrue(refusal(dir).contains("sizes 1 to 512"), "the load-time test run would need > 24 GB");
        edit(dir, m -> ((ObjectNode) m.get("image")).put("size", 8).put("channels", 2));
        assertTrue(refusal(dir).contains("1 or 3 channels"));
        edit(dir, m -> {
            ((ObjectNode) m.get("image")).put("channels", 3);
            m.putArray("classes").add("red").add("red");
        });
        assertTrue(refusal(dir).contains("given twice"));
        edit(dir, m -> m.putArray("classes").add("a").add(" "));
        assertTrue(refusal(dir).contains("blank class name"));
        edit(dir, m -> {
            m.putArray("classes").add("red").add("green").add("blue");
            m.put("context", 0);
        });
        assertTrue(refusal(dir).contains("context 0"));
        edit(dir, m -> m.remove("context"));
        edit(dir, m -> m.put("eos", -1));
        assertTrue(refusal(dir).contains("negative token id"));
        edit(dir, m -> m.remove("eos"));
        edit(dir, m -> m.put("sha256", "not-a-hash"));
        assertTrue(refusal(dir).contains("64 hex digits"));
    }

    /** Guidance in a manifest: a weight 0…10, and only for a model with classes and a "no class". */
    @Test
    void guidanceMustBeInRangeAndOnlyForAModelThatCanBeGuided(@TempDir Path tmp) throws IOException {
        Path dir = copyGood(tmp); // three classes, no null_class
        edit(dir, m -> m.put("guidance", 11.0));
        String range = assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu())).getMessage();
        assertTrue(range.contains("guidance") && range.contains("11.0"), range);
        edit(dir, m -> m.put("guidance", 0.5));
        String unguidable = assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()))
                .getMessage();
        assertTrue(unguidable.contains("asks for class guidance") && unguidable.contains("null_class"), unguidable);
        edit(dir, m -> {
            m.remove("guidance");
            m.putObject("edit_schedules").putObject("inpaint").put("guidance", 2.0).putArray("sigmas").add(80.0);
        });
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu())).getMessage()
                .contains("asks for class guidance"));
        edit(dir, m -> ((ObjectNode) m.get("edit_schedules").get("inpaint")).put("guidance", 0.0));
        ConsistencyModels.load(dir, Device.cpu()).close(); // 0 asks for nothing
    }

    @Test
    void weightsPathsThatLeaveTheDirectoryAreRefused(@TempDir Path tmp) throws IOException {
        Path dir = copyGood(tmp);
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        for (String escape : new String[] {"../secret.txt", "../../../../../../../../etc/passwd", "/etc/passwd",
                tmp.resolve("secret.txt").toString(), ".", "sub/../../secret.txt", ""}) {
            edit(dir, m -> m.put("weights", escape));
            AtelierException e = assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()),
                    "weights " + escape);
            assertTrue(e.getMessage().contains("not a file inside the model directory"), escape + ": " + e.getMessage());
        }
    }

    @Test
    void aFifoOrFolderAsWeightsIsRefusedWithoutOpeningIt(@TempDir Path tmp) throws Exception {
        Path dir = copyGood(tmp);
        Process mk = new ProcessBuilder("mkfifo", dir.resolve("fifo.pt").toString()).start();
        assumeTrue(mk.waitFor() == 0, "mkfifo available");
        edit(dir, m -> m.put("weights", "fifo.pt"));
        // opening a FIFO for reading would block this test forever: the refusal must come before any open
        AtelierException e = assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        Files.createDirectory(dir.resolve("folder.pt"));
        edit(dir, m -> m.put("weights", "folder.pt"));
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu())).getMessage()
                .contains("not a regular file"));
    }

    @Test
    void weightsDamagedInPlaceAreRefusedByTheirSha256(@TempDir Path tmp) throws IOException {
        Path dir = copyGood(tmp);
        Path weights = dir.resolve("model.pt");
        String sha = ModelManifest.sha256(weights);
        edit(dir, m -> m.put("sha256", sha));
        ModelManifest m = ModelManifest.read(dir);
        assertEquals(weights.toAbsolutePath().normalize(), m.weightsIn(dir, "model.pt"));
        byte[] b = Files.readAllBytes(weights);
        b[b.length / 2] ^= 1; // one bit, in place: the zip may well still open
        Files.write(weights, b);
        AtelierException e = assertThrows(AtelierException.class, () -> ConsistencyModels.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("does not match the sha256"), e.getMessage());
        assertTrue(assertThrows(AtelierException.class, () -> ConsistencyModels.load(weights, Device.cpu())).getMessage()
                .contains("does not match the sha256"), "also when the weights file itself is given");
    }

    @Test
    void theShippedModelsCarryMatchingHashes() {
        for (String name : new String[] {"fashion-mnist", "brown-lm", "fashion-mnist/classifier"}) {
            Path dir = Path.of("assets/models", name);
            ModelManifest m = ModelManifest.read(dir);
            assertTrue(m.sha256 != null, name + " has a sha256");
            m.weightsIn(dir, null); // throws if it does not match
        }
    }
}
