package dev.atelier.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.ui.common.SettingsStore;
import dev.atelier.ui.inpaint.InputImage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** "Open with Atelier" / {@code Atelier FILE}: the file lands in the Inpainting panel through its import path. */
@ExtendWith(ApplicationExtension.class)
class OpenImageTest {
    @TempDir
    static Path dir;

    private InferenceLane lane;
    private StudioWindow window;

    @Start
    void start(Stage stage) {
        lane = new InferenceLane();
        window = new StudioWindow(stage, new SettingsStore(dir.resolve("settings.json")), lane);
        stage.show();
    }

    @AfterEach
    void stopLane() {
        lane.close();
    }

    @Test
    void anOpenedFileShowsInTheInpaintingPanel(FxRobot robot) throws Exception {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        img.setRGB(20, 15, 0xFFFFFF);
        Path file = dir.resolve("photo.png");
        ImageIO.write(img, "png", file.toFile());
        TabPane tabs = robot.lookup("#panels").queryAs(TabPane.class);
        assertEquals(0, tabs.getSelectionModel().getSelectedIndex());

        robot.interact(() -> window.openImage(file));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.inpaint().viewModel().inputProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals(1, tabs.getSelectionModel().getSelectedIndex());
        InputImage input = window.inpaint().viewModel().inputProperty().get();
        assertNotNull(input);
        assertEquals("photo.png", input.source());
        assertEquals(40, input.sourceWidth());
        assertEquals(30, input.sourceHeight());
    }
}
