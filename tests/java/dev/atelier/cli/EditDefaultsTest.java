package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.network.UNetConfig;
import dev.atelier.consistency.network.UNetConsistencyModel;
import dev.atelier.image.PngImages;
import dev.atelier.runtime.ConsistencyModels;
import dev.atelier.runtime.LoadedConsistencyModel;
import dev.atelier.base.ModelManifest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The editing defaults end to end on a tiny class-conditional UNet: the per-task schedule read from the manifest
 * (old manifests without one still load and edit with the sampling schedule), the class inferred when none is given
 * and reported in the text, the JSON and the PNG's parameters, and the null class on request.
 */
class EditDefaultsTest {
    @TempDir
    Path tmp;

    Path model(String editSchedules) throws IOException {
        Path dir = tmp.resolve("m");
        try (UNetConsistencyModel m = UNetConsistencyModel.random(new UNetConfig(8, 1, 8, new int[] {1, 2}, 1, false, 3),
                Parameterization.DEFAULT, 3, Device.cpu())) {
            ModelManifest manifest = new ModelManifest();
            manifest.name = "tiny";
            manifest.c_noise = "ln(sigma)/4";
            manifest.scalings_inside = false;
            manifest.classes = java.util.List.of("cat", "dog", "owl");
            manifest.default_steps = 2;
            manifest.schedules = java.util.Map.of("2", new double[] {80.0, 0.8});
            UNetConsistencyModel.save(dir, m.network(), manifest);
        }
        if (editSchedules != null) {
            ObjectNode json = (ObjectNode) ModelManifest.JSON.readTree(dir.resolve("manifest.json").toFile());
            json.set("edit_schedules", ModelManifest.JSON.readTree(editSchedules));
            Files.writeString(dir.resolve("manifest.json"), json.toString());
        }
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(2, 3, 0, 200);
        ImageIO.write(img, "png", tmp.resolve("in.png").toFile());
        BufferedImage mask = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 4; x < 8; x++) {
                mask.getRaster().setSample(x, y, 0, 255);
            }
        }
        ImageIO.write(mask, "png", tmp.resolve("mask.png").toFile());
        return dir;
    }

    CliTestSupport.Result edit(Path dir, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("edit", "--task", "inpaint", "--model",
                dir.toString(), "--image", tmp.resolve("in.png").toString(), "--mask", tmp.resolve("mask.png").toString(),
                "--seed", "3", "--count", "2", "--out", tmp.resolve("out.png").toString(), "--threads", "1"));
        args.addAll(java.util.List.of(extra));
        return CliTestSupport.run(args.toArray(String[]::new));
    }

    @Test
    void theManifestsEditScheduleIsTheDefaultAndTheClassIsInferredAndReported() throws IOException {
        Path dir = model("{\"inpaint\":{\"sigmas\":[80.0,3.0,0.5],\"resample\":1}}");
        try (LoadedConsistencyModel m = ConsistencyModels.load(dir, Device.cpu())) {
            assertArrayEquals(new double[] {80, 3, 3, 0.5, 0.5}, m.editSchedule(EditTask.INPAINT));
            assertArrayEquals(new double[] {80, 0.8}, m.editSchedule(EditTask.SUPERRES), "no entry: sampling schedule");
        }
        CliTestSupport.Result r = edit(dir, "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode rep = ModelManifest.JSON.readTree(r.out());
        assertEquals("[80.0,3.0,3.0,0.5,0.5]", rep.get("sigmas").toString());
        JsonNode detected = rep.get("detected");
        int label = detected.get("class").asInt();
        assertTrue(label >= 0 && label < 3, detected.toString());
        assertEquals(java.util.List.of("cat", "dog", "owl").get(label), detected.get("name").asText());
        assertEquals("consistency", detected.get("method").asText(), "no classifier in the directory: the model decides");
        assertEquals(label, rep.at("/settings/class").asInt(), "every result uses the detected class");
        assertEquals("[" + label + "," + label + "]", rep.get("labels").toString());
        JsonNode png = ModelManifest.JSON.readTree(PngImages.readParameters(tmp.resolve("out.png")));
        assertEquals(detected, png.get("detected"));
        assertEquals(label, PngImages.readRequest(tmp.resolve("out.png")).classLabel(), "the PNG reproduces the class");

        CliTestSupport.Result text = edit(dir);
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("detected: " + detected.get("name").asText() + ", "), text.out());

        CliTestSupport.Result none = edit(dir, "--class", "none", "--json");
        JsonNode n = ModelManifest.JSON.readTree(none.out());
        assertEquals(-1, n.at("/settings/class").asInt());
        assertFalse(n.has("detected"));
        CliTestSupport.Result given = edit(dir, "--class", "owl", "--json");
        assertEquals(2, ModelManifest.JSON.readTree(given.out()).at("/settings/class").asInt());
    }

    @Test
    void oldManifestsEditWithTheSamplingScheduleAndBadEntriesAreRefused() throws IOException {
        Path dir = model(null);
        CliTestSupport.Result r = edit(dir, "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals("[80.0,0.8]", ModelManifest.JSON.readTree(r.out()).get("sigmas").toString());
        Path bad = model("{\"inpaint\":{\"sigmas\":[0.5,3.0]}}");
        AtelierException e = org.junit.jupiter.api.Assertions.assertThrows(AtelierException.class,
                () -> ConsistencyModels.load(bad, Device.cpu()));
        assertTrue(e.getMessage().contains("edit_schedules") && e.getMessage().contains("inpaint"), e.getMessage());
        Path denoise = model("{\"denoise\":{\"sigmas\":[0.5]}}");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(AtelierException.class,
                () -> ConsistencyModels.load(denoise, Device.cpu())).getMessage().contains("denoise"));
    }
}
