package dev.atelier.ui;

import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;

/**
 * A real drag and drop for tests under a real display (tests/run-ui-xvfb): a small window holds the file as a
 * drag source, and the robot moves the system pointer with the button down from it to the target, so the drop
 * arrives through the platform's own drag and drop (GTK). Shared by the panels' tests.
 */
public final class RealDrag {
    private RealDrag() {
    }

    /**
     * Drags {@code file} from a source window onto the screen point {@code target} and releases it there; the
     * source window is closed afterwards.
     */
    public static void dragFile(FxRobot robot, Path file, Point2D target) {
        Label source = new Label(file.getFileName().toString());
        source.setStyle("-fx-padding: 30; -fx-font-size: 16px;");
        source.setOnDragDetected(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putFiles(List.of(file.toFile()));
            source.startDragAndDrop(TransferMode.COPY).setContent(content);
            e.consume();
        });
        Stage[] holder = new Stage[1];
        robot.interact(() -> {
            Stage s = new Stage();
            holder[0] = s;
            s.setScene(new Scene(source, 200, 120));
            s.setX(20);
            s.setY(300);
            s.show();
        });
        drag(robot, source, target);
        robot.interact(() -> holder[0].hide());
    }

    /**
     * Presses the primary button on {@code source}, moves the system pointer in small steps to the screen point
     * {@code target} (so the platform starts a drag and drop and tracks it) and releases it there.
     */
    public static void drag(FxRobot robot, Node source, Point2D target) {
        robot.moveTo(source).press(MouseButton.PRIMARY);
        robot.moveBy(5, 0).sleep(100).moveBy(5, 0).sleep(300);
        Point2D start = source.localToScreen(source.getLayoutBounds().getCenterX(),
                source.getLayoutBounds().getCenterY());
        for (int i = 1; i <= 40; i++) {
            double t = i / 40.0;
            robot.moveTo(new Point2D(start.getX() + t * (target.getX() - start.getX()),
                    start.getY() + t * (target.getY() - start.getY())));
            robot.sleep(25);
        }
        robot.moveBy(3, 3).sleep(100).moveBy(-3, -3).sleep(200);
        robot.release(MouseButton.PRIMARY);
        robot.sleep(300);
    }
}
