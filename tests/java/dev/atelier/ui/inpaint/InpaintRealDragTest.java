package dev.atelier.ui.inpaint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A real drag and drop under a real display (tests/run-ui-xvfb): the robot moves the system pointer with the
 * button down from a drag source window holding a file onto the Inpainting panel, through the platform's
 * own drag and drop (GTK), then paints with the real pointer.
 */
@Tag("xvfb")
class InpaintRealDragTest extends StudioFixture {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Override
    double[] geometry() {
        return new double[] {260, 0, 1200, 800};
    }

    @Test
    void aFileDraggedWithTheRealPointerIsImportedAndARealStrokePaintsTheDisc(FxRobot robot) throws Exception {
        Path file = InpaintPanelTest.blocks(dir, "dragged.png");
        Label source = new Label("dragged.png");
        source.setId("drag-source");
        source.setStyle("-fx-padding: 30; -fx-font-size: 16px;");
        source.setOnDragDetected(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putFiles(List.of(file.toFile()));
            source.startDragAndDrop(TransferMode.COPY).setContent(content);
            e.consume();
        });
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        Stage[] holder = new Stage[1];
        robot.interact(() -> {
            Stage s = new Stage();
            holder[0] = s;
            s.setScene(new Scene(source, 200, 120));
            s.setX(20);
            s.setY(300);
            s.show();
        });
                MaskEditor editor = robot.lookup("#inpaint-canvas").queryAs(MaskEditor.class);
        Point2D target = editor.localToScreen(editor.getWidth() / 2, editor.getHeight() / 2);
        robot.moveTo(source).press(MouseButton.PRIMARY);
        robot.moveBy(5, 0).sleep(100).moveBy(5, 0).sleep(300);
        Point2D start = source.localToScreen(source.getWidth() / 2, source.getHeight() / 2);
        for (int i = 1; i <= 40; i++) {
            double t = i / 40.0;
            robot.moveTo(new Point2D(start.getX() + t * (target.getX() - start.getX()),
                    start.getY() + t * (target.getY() - start.getY())));
            robot.sleep(25);
        }
        robot.moveBy(3, 3).sleep(100).moveBy(-3, -3).sleep(200);
        robot.release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> vm.inputProperty().get() != null);
        robot.interact(() -> {
            holder[0].hide(); // the studio window takes the keyboard back
            stage.requestFocus();
        });
        InputImage in = vm.inputProperty().get();
        assertNotNull(in);
        assertEquals("dragged.png", in.source());
        assertArrayEquals(new int[] {14, 0, 56}, in.crop());

        robot.interact(() -> vm.brushProperty().set(3));
        Point2D p = editor.localToScreen(editor.originX() + 10 * editor.scale(), editor.originY() + 12 * editor.scale());
        robot.moveTo(p).press(MouseButton.PRIMARY).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(MaskModelTest.disc(28, 10, 12, 3), vm.maskProperty().get().mask());
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, vm.maskProperty().get().count());
        robot.press(KeyCode.CONTROL, KeyCode.Y).release(KeyCode.Y, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(MaskModelTest.disc(28, 10, 12, 3), vm.maskProperty().get().mask());
    }
}
