package dev.atelier.ui.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.atelier.text.ConstraintSpec;
import dev.atelier.ui.RealDrag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Chip reordering under a real display (tests/run-ui-xvfb): the system pointer drags a chip by its handle through
 * the platform's own drag and drop (GTK), and the new order is the constraint numbering the search gets and the
 * order the saved constraint set holds.
 */
@Tag("xvfb")
class TextChipRealDragTest extends TextStudioFixture {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Override
    double[] geometry() {
        return new double[] {260, 0, 1200, 900};
    }

    private List<Node> chipViews(FxRobot robot) {
        return new ArrayList<>(robot.lookup("#constraint-chips").queryAs(VBox.class).getChildren());
    }

    /** Drags chip {@code from} by its handle onto chip {@code onto}, at {@code fraction} of its height. */
    private void dragOnto(FxRobot robot, int from, int onto, double fraction) {
        List<Node> views = chipViews(robot);
        Bounds b = views.get(onto).localToScreen(views.get(onto).getLayoutBounds());
        RealDrag.drag(robot, views.get(from).lookup(".chip-handle"), new Point2D(b.getCenterX(),
                b.getMinY() + b.getHeight() * fraction));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aChipDraggedByItsHandleMovesAndTheSavedSetHasTheNewOrder(FxRobot robot) throws Exception {
        List<ConstraintChip> made = new ArrayList<>();
        robot.interact(() -> {
            vm.promptsProperty().set("The soldiers");
            made.add(vm.addChip(ConstraintSpec.Kind.PHRASE));
            made.get(0).values().set(0, "the enemy");
            made.add(vm.addChip(ConstraintSpec.Kind.BAN));
            made.get(1).values().set(0, "the war");
            made.add(vm.addChip(ConstraintSpec.Kind.PHRASE));
            made.get(2).values().set(0, "the river");
        });
        // the chips grow when their tokens are shown: measure them after that
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.chips().stream()
                .allMatch(c -> c.previewProperty().get() != null));
        WaitForAsyncUtils.waitForFxEvents();
        ConstraintSpec enemy = made.get(0).spec();
        ConstraintSpec war = made.get(1).spec();
        ConstraintSpec river = made.get(2).spec();

        // the first chip, dropped on the lower part of the last one, becomes the last
        dragOnto(robot, 0, 2, 0.8);
        assertEquals(List.of(made.get(1), made.get(2), made.get(0)), List.copyOf(vm.chips()));
        // the last chip, dropped on the upper part of the first one, becomes the first
        dragOnto(robot, 2, 0, 0.2);
        assertEquals(List.of(made.get(0), made.get(1), made.get(2)), List.copyOf(vm.chips()));
        // and once more down to the middle: the views follow, and the constraint numbering is the new order
        dragOnto(robot, 0, 1, 0.8);
        assertEquals(List.of(made.get(1), made.get(0), made.get(2)), List.copyOf(vm.chips()));
        List<Node> views = chipViews(robot);
        for (int i = 0; i < 3; i++) {
            assertSame(vm.chips().get(i), views.get(i).getUserData(), "chip view " + i);
        }
        assertEquals(List.of(war, enemy, river), vm.content().perPrompt().get(0));
        Path file = dir.resolve("dragged-" + System.nanoTime() + ".json");
        robot.interact(() -> vm.saveConstraints(file));
        assertEquals(List.of(war, enemy, river), ConstraintSpec.readFile(file).get(0).constraints());
    }
}
