package dev.atelier.ui.inpaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.app.ImageResult;
import dev.atelier.app.SamplingRequest;
import dev.atelier.runtime.JobOwner;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The README's screenshots of the Inpainting panel, taken from the real window under a real display
 * (tests/run-ui-xvfb): a sample of the shipped model sent to the panel, a mask painted with the real pointer,
 * an inpaint run; then grey strokes painted on a black picture and a stroke-guided edit; each in the light and
 * the dark theme. Written to {@code -Datelier.screenshots=DIR}, else to a
 * temporary folder.
 */
@Tag("xvfb")
class InpaintScreenshotTest extends StudioFixture {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Override
    double[] geometry() {
        return new double[] {0, 0, 1280, 760};
    }

    @Test
    void panelWithARealInpaintingResultInBothThemes(FxRobot robot) throws Exception {
        Path out = Path.of(System.getProperty("atelier.screenshots", dir.toString()));
        Files.createDirectories(out);
        window.startEngine();
        ImageResult sample = window.services().sampling().run(new JobOwner("screenshot"),
                new SamplingRequest(null, 2L, 3, 2, "Ankle boot"), null);
        // three samples side by side: the panel keeps the center square and shows what it cropped
        BufferedImage wide = new BufferedImage(84, 28, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = wide.createGraphics();
        for (int i = 0; i < 3; i++) {
            g.drawImage(dev.atelier.image.PngImages.grid(sample.image(i), 1, 1, 28, 0), 28 * i, 0, null);
        }
        g.dispose();
                robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        robot.interact(() -> vm.importImage(wide, "three samples"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.inputProperty().get() != null);

        MaskEditor editor = robot.lookup("#inpaint-canvas").queryAs(MaskEditor.class);
        robot.interact(() -> {
            vm.brushProperty().set(4);
            vm.randomSeedProperty().set(false);
            vm.seedProperty().set(21);
            vm.countProperty().set(6);
        });
        double k = editor.scale();
        Point2D a = editor.localToScreen(editor.originX() + 4 * k, editor.originY() + 5 * k);
        Point2D b = editor.localToScreen(editor.originX() + 24 * k, editor.originY() + 5 * k);
        Point2D c = editor.localToScreen(editor.originX() + 24 * k, editor.originY() + 11 * k);
        Point2D d = editor.localToScreen(editor.originX() + 4 * k, editor.originY() + 11 * k);
        robot.moveTo(a).press(MouseButton.PRIMARY).moveTo(b).moveTo(c).moveTo(d).release(MouseButton.PRIMARY);
        assertTrue(vm.maskProperty().get().count() > 100, "painted " + vm.maskProperty().get().count());
        robot.clickOn("#inpaint-run");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.results().size() == 6 && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        robot.moveTo(editor.localToScreen(editor.originX() + 20 * k, editor.originY() + 20 * k));
        robot.sleep(300);

        shoot(robot, out, "inpaint", editor);

        // stroke-guided editing: rough grey strokes on a black picture, painted with the real pointer
        BufferedImage black = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        robot.interact(() -> vm.importImage(black, "a black picture"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> "a black picture".equals(vm.inputProperty().get()
                .source()));
        robot.interact(() -> {
            vm.taskProperty().set(dev.atelier.consistency.EditTask.STROKE);
            vm.strokeColourProperty().set(0xb4b4b4);
            vm.brushProperty().set(2.5);
            vm.seedProperty().set(5);
        });
        WaitForAsyncUtils.waitForFxEvents();
        double[][] strokes = {{5, 7, 23, 7}, {5, 7, 4, 14}, {23, 7, 24, 14}, {10, 8, 10, 25}, {18, 8, 18, 25},
            {14, 9, 14, 25}, {10, 25, 18, 25}};
        for (double[] st : strokes) {
            robot.moveTo(editor.localToScreen(editor.originX() + st[0] * k, editor.originY() + st[1] * k))
                    .press(MouseButton.PRIMARY)
                    .moveTo(editor.localToScreen(editor.originX() + st[2] * k, editor.originY() + st[3] * k))
                    .release(MouseButton.PRIMARY);
        }
        assertTrue(vm.maskProperty().get().paintCount() > 150, "painted " + vm.maskProperty().get().paintCount());
        robot.clickOn("#inpaint-run");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.results().isEmpty() && !vm.runningProperty().get()
                && vm.results().get(0).parameters().contains("\"stroke\""));
        WaitForAsyncUtils.waitForFxEvents();
        robot.moveTo(editor.localToScreen(editor.originX() + 26 * k, editor.originY() + 26 * k));
        robot.sleep(300);
        shoot(robot, out, "stroke", editor);
    }

    /** Saves the window as {@code name}-light.png and {@code name}-dark.png (and goes back to light). */
    private void shoot(FxRobot robot, Path out, String name, MaskEditor editor) throws Exception {
        for (String theme : new String[] {"light", "dark"}) {
            boolean dark = theme.equals("dark");
            if (dark != robot.lookup("#theme-toggle").queryAs(javafx.scene.control.ToggleButton.class).isSelected()) {
                robot.clickOn("#theme-toggle");
            }
            robot.moveTo(editor.localToScreen(editor.originX() + 20 * editor.scale(),
                    editor.originY() + 20 * editor.scale()));
            robot.sleep(300);
            WaitForAsyncUtils.waitForFxEvents();
            Rectangle2D bounds = new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
            BufferedImage shot = SwingFXUtils.fromFXImage(robot.capture(bounds).getImage(), null);
            assertEquals((int) stage.getWidth(), shot.getWidth());
            ImageIO.write(shot, "png", out.resolve(name + "-" + theme + ".png").toFile());
        }
        robot.clickOn("#theme-toggle");
    }
}
