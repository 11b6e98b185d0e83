package dev.atelier.ui.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.text.ConstraintSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The README's screenshots of the Text panel, taken from the real window under a real display
 * (tests/run-ui-xvfb): a prompt typed, a phrase, an any-of group and an ordered pair built by clicks and typing,
 * a run with the shipped language model started with Ctrl+Enter; the finished results and the bank view, in the
 * light and the dark theme. Written to {@code -Datelier.screenshots=DIR} as text-panel-light.png and
 * text-panel-dark.png, else to a temporary folder.
 */
@Tag("xvfb")
class TextPanelScreenshotTest extends TextStudioFixture {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        open(stage);
    }

    @Override
    double[] geometry() {
        return new double[] {0, 0, 1500, 940};
    }

    /** Types into the {@code index}-th phrase field of the newest chip. */
    private void typeInField(FxRobot robot, int index, String text) {
        ConstraintChip chip = vm.chips().get(vm.chips().size() - 1);
        Node view = robot.lookup(".chip").match(n -> n.getUserData() == chip).query();
        List<TextField> fields = new ArrayList<>();
        view.lookupAll(".chip-field").forEach(n -> fields.add((TextField) n));
        fields.sort(Comparator.<TextField>comparingDouble(f -> f.localToScene(0, 0).getY())
                .thenComparingDouble(f -> f.localToScene(0, 0).getX()));
        robot.clickOn(fields.get(index)).write(text);
    }

    @Test
    void aFinishedRunWithTheBankViewInBothThemes(FxRobot robot) throws Exception {
        Path out = Path.of(System.getProperty("atelier.screenshots", dir.toString()));
        Files.createDirectories(out);
        window.startEngine();
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        robot.write("The soldiers");
        robot.clickOn("#add-phrase").write("the enemy");
        robot.clickOn("#add-any").write("fought");
        typeInField(robot, 1, "attacked");
        robot.clickOn(robot.lookup(".chip-add-option").queryButton()).write("killed");
        robot.clickOn("#add-ordered").write("the river");
        typeInField(robot, 1, "the bridge");
        robot.interact(() -> {
            vm.beamsProperty().set(10);
            vm.maxNewTokensProperty().set(30);
            vm.numReturnProperty().set(2);
            vm.noRepeatNgramProperty().set(3);
        });
        assertEquals(List.of(new ConstraintSpec(ConstraintSpec.Kind.PHRASE, List.of("the enemy")),
                new ConstraintSpec(ConstraintSpec.Kind.ANY, List.of("fought", "attacked", "killed")),
                new ConstraintSpec(ConstraintSpec.Kind.ORDERED, List.of("the river", "the bridge"))),
                vm.content().perPrompt().get(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.blockReasonProperty().get() == null
                && vm.chips().stream().allMatch(c -> c.previewProperty().get() != null));
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> vm.results().size() == 2 && !vm.runningProperty().get());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.textPanel().bankView().shownStep() != null
                && window.textPanel().bankView().stepsOfPrompt().size() == vm.bankHistory().size());
        robot.moveTo("#text-prompts");
        for (String theme : new String[] {"light", "dark"}) {
            boolean dark = theme.equals("dark");
            if (dark != robot.lookup("#theme-toggle").queryAs(ToggleButton.class).isSelected()) {
                robot.clickOn("#theme-toggle");
                robot.moveTo("#text-prompts");
            }
            robot.sleep(400);
            WaitForAsyncUtils.waitForFxEvents();
            Rectangle2D bounds = new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
            BufferedImage shot = SwingFXUtils.fromFXImage(robot.capture(bounds).getImage(), null);
            assertEquals((int) stage.getWidth(), shot.getWidth());
            ImageIO.write(shot, "png", out.resolve("text-panel-" + theme + ".png").toFile());
        }
        assertTrue(Files.size(out.resolve("text-panel-dark.png")) > 10_000);
    }
}
