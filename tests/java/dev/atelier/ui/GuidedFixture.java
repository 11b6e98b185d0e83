package dev.atelier.ui;

import dev.atelier.base.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny class-guidable model for the studio's guidance tests: the RGB TorchScript fixture (a network of 3 class
 * labels) named as 2 classes, "red" and "green", with label 2 as its "no class" ({@code "null_class": true}, as
 * {@code ConsistencyModelsTest} proves it loads), and known default weights: {@value #SAMPLING} for sampling,
 * {@value #INPAINT} for inpainting; super-resolution has a tuned schedule without a weight.
 */
public final class GuidedFixture {
    /** The RGB fixture: 3 classes and no "no class", so it cannot be guided. */
    public static final Path UNGUIDABLE = Path.of("tests/resources/consistency/good-outside").toAbsolutePath();
    /** The manifest's "guidance". */
    public static final double SAMPLING = 0.7;
    /** The manifest's edit_schedules.inpaint.guidance. */
    public static final double INPAINT = 1.5;

    private GuidedFixture() {
    }

    /** @return a new model directory under {@code parent} (its absolute path, as the studio names opened models) */
    public static Path make(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("guided-" + System.nanoTime())).toAbsolutePath();
        Files.copy(UNGUIDABLE.resolve("model.pt"), dir.resolve("model.pt"));
        ModelManifest m = ModelManifest.read(UNGUIDABLE);
        m.name = "fixture RGB, guidable";
        m.classes = List.of("red", "green");
        m.null_class = true;
        m.guidance = SAMPLING;
        m.edit_schedules = Map.of("inpaint", new ModelManifest.EditEntry(List.of(80.0, 2.0, 0.5), null, INPAINT),
                "superres", new ModelManifest.EditEntry(List.of(80.0, 2.0), null, null));
        m.write(dir);
        return dir;
    }
}
