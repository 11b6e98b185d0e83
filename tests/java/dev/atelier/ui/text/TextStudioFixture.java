package dev.atelier.ui.text;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.ui.StudioWindow;
import dev.atelier.ui.common.SettingsStore;
import java.nio.file.Path;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;

/** The studio window on the Text panel, with its own lane and a fresh settings file, per test. */
@ExtendWith(ApplicationExtension.class)
abstract class TextStudioFixture {
    @TempDir
    static Path dir;

    InferenceLane lane;
    SettingsStore store;
    StudioWindow window;
    TextPanelViewModel vm;

    /** @return x, y, width, height of the window (NaN x: let the window system place it) */
    double[] geometry() {
        return new double[] {Double.NaN, Double.NaN, 1200, 780};
    }

    /** Builds and shows the window; each test class calls it from its {@code @Start} method (TestFX looks there). */
    void open(Stage stage) {
        lane = new InferenceLane();
        store = new SettingsStore(dir.resolve("settings-" + System.nanoTime() + ".json"));
        window = new StudioWindow(stage, store, lane);
        double[] g = geometry();
        if (!Double.isNaN(g[0])) {
            stage.setX(g[0]);
            stage.setY(g[1]);
        }
        stage.setWidth(g[2]);
        stage.setHeight(g[3]);
        stage.show();
        ((TabPane) stage.getScene().lookup("#panels")).getSelectionModel().select(2);
        vm = window.textPanel().viewModel();
    }

    @AfterEach
    void stopLane() {
        lane.close();
    }
}
