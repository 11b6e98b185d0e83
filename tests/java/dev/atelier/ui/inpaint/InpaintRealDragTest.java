package dev.atelier.ui.inpaint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.atelier.ui.RealDrag;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
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
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        MaskEditor editor = robot.lookup("#inpaint-canvas").queryAs(MaskEditor.class);
        Point2D target = editor.localToScreen(editor.getWidth() / 2, editor.getHeight() / 2);
        RealDrag.dragFile(robot, file, target);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> vm.inputProperty().get() != null);
        robot.interact(stage::requestFocus); // the studio window takes the keyboard back
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
