package dev.atelier.ui.inpaint;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.ui.StudioWindow;
import dev.atelier.ui.common.SettingsStore;
import java.nio.file.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;

/** The studio window with its own lane and a fresh settings file, shown at the given geometry, per test. */
@ExtendWith(ApplicationExtension.class)
abstract class StudioFixture {
    @TempDir
    static Path dir;

    InferenceLane lane;
    SettingsStore store;
    StudioWindow window;
    InpaintViewModel vm;
    Stage stage;

    /** @return x, y, width, height of the window */
    abstract double[] geometry();

    /** Builds and shows the window; each test class calls it from its {@code @Start} method (TestFX looks there). */
    void open(Stage stage) {
        this.stage = stage;
        lane = new InferenceLane();
        store = new SettingsStore(dir.resolve("settings-" + System.nanoTime() + ".json"));
        window = new StudioWindow(stage, store, lane);
        vm = window.inpaint().viewModel();
        double[] g = geometry();
        stage.setX(g[0]);
        stage.setY(g[1]);
        stage.setWidth(g[2]);
        stage.setHeight(g[3]);
        stage.show();
    }

    @AfterEach
    void stopLane() {
        lane.close();
    }
}
