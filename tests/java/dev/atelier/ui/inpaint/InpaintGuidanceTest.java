package dev.atelier.ui.inpaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.ui.GuidedFixture;
import dev.atelier.ui.StudioWindow;
import dev.atelier.ui.common.FieldProblems;
import dev.atelier.ui.common.SettingsStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Inpainting panel's Guidance control with a tiny guidable model whose manifest gives inpainting a known weight
 * ({@link GuidedFixture}): it shows the current task's default and follows the task, is off for denoise and for a
 * model that cannot be guided, a weight typed by keyboard reaches the editing service, and it survives a restart.
 */
class InpaintGuidanceTest extends StudioFixture {
    private String model;

    @Start
    void start(Stage stage) throws Exception {
        model = GuidedFixture.make(dir).toString();
        open(stage);
    }

    @Override
    double[] geometry() {
        return new double[] {0, 0, 1200, 780};
    }

    private EditRequest runAndWait(FxRobot robot) throws Exception {
        robot.interact(() -> vm.results().clear());
        robot.interact(vm::run);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.results().isEmpty() && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        return (EditRequest) GenerationRequest.fromJson(vm.results().get(0).parameters());
    }

    @Test
    void theWeightFollowsTheTaskReachesTheServiceAndComesBack(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        robot.interact(() -> vm.modelProperty().set(model));
        Spinner<?> spinner = robot.lookup("#inpaint-guidance").queryAs(Spinner.class);
        CheckBox useDefault = robot.lookup("#inpaint-guidance-default").queryAs(CheckBox.class);
        assertEquals(EditTask.INPAINT, vm.taskProperty().get());
        assertEquals(GuidedFixture.INPAINT, (Double) spinner.getValue(), 1e-12, "the manifest's inpaint weight");
        assertTrue(useDefault.isSelected());
        assertFalse(spinner.isDisabled());

        // the default follows the task: super-resolution has none, denoise takes none
        robot.interact(() -> vm.taskProperty().set(EditTask.SUPERRES));
        assertEquals(0.0, (Double) spinner.getValue(), 1e-12);
        assertFalse(spinner.isDisabled());
        robot.interact(() -> vm.taskProperty().set(EditTask.DENOISE));
        assertTrue(spinner.isDisabled());
        String why = robot.lookup("#inpaint-guidance-label").queryAs(Label.class).getTooltip().getText();
        assertTrue(why.contains("denoise"), why);
        robot.interact(() -> vm.taskProperty().set(EditTask.INPAINT));
        assertEquals(GuidedFixture.INPAINT, (Double) spinner.getValue(), 1e-12);
        assertEquals("Default: 1.5", useDefault.getText());

        // an inpaint run with the default: the service runs the task's weight
        robot.interact(() -> {
            vm.randomSeedProperty().set(false);
            vm.seedProperty().set(3);
            vm.countProperty().set(1);
        });
        Path blocks = InpaintPanelTest.blocks(dir, "guided-blocks.png");
        robot.interact(() -> vm.importFile(blocks));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.inputProperty().get() != null);
        robot.interact(() -> vm.maskProperty().get().invert());
        EditRequest ran = runAndWait(robot);
        assertEquals(GuidedFixture.INPAINT, ran.guidance(), 1e-12);
        float[] atDefault = vm.results().get(0).after();
        assertTrue(robot.lookup("#inpaint-result-info").queryLabeled().getText().contains("guidance 1.5"));

        // keyboard: Alt+G reaches the weight; type 2.5 and Enter
        robot.press(KeyCode.ALT, KeyCode.G).release(KeyCode.G, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(spinner.isFocused() || spinner.getEditor().isFocused(), "Alt+G focuses the weight");
        robot.interact(() -> spinner.getEditor().selectAll());
        robot.write("2.5").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2.5, vm.guidanceProperty().get(), 1e-12);
        assertFalse(useDefault.isSelected());
        assertEquals(2.5, store.load().inpaint.guidance, 1e-12, "saved in the settings");
        ran = runAndWait(robot);
        assertEquals(2.5, ran.guidance(), 1e-12);
        assertFalse(Arrays.equals(atDefault, vm.results().get(0).after()), "the same seed guided harder differs");

        // a weight typed and run at once with Ctrl+Enter (no Enter first) is the one that runs
        robot.interact(() -> {
            vm.results().clear();
            spinner.requestFocus();
            spinner.getEditor().selectAll();
        });
        robot.write("3.5");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.results().isEmpty() && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3.5, ((EditRequest) GenerationRequest.fromJson(vm.results().get(0).parameters())).guidance(),
                1e-12);
        assertEquals(3.5, vm.guidanceProperty().get(), 1e-12);

        // a problem the service names "guidance" outlines the control
        robot.interact(() -> vm.notifyProblem("bad weight", "guidance", null));
        assertTrue(spinner.getStyleClass().contains(FieldProblems.STYLE));

        // a model without a "no class": the control is off and the chosen weight is not sent
        robot.interact(() -> vm.modelProperty().set(GuidedFixture.UNGUIDABLE.toString()));
        assertTrue(spinner.isDisabled());
        assertEquals(0.0, (Double) spinner.getValue(), 1e-12);
        why = robot.lookup("#inpaint-guidance-label").queryAs(Label.class).getTooltip().getText();
        assertTrue(why.contains("\"no class\""), why);
        ran = runAndWait(robot);
        assertEquals(0.0, ran.guidance(), 1e-12);

        // a restart brings the chosen weight back; a settings file without it loads with the task's default
        AtomicReference<InpaintViewModel> again = new AtomicReference<>();
        robot.interact(() -> again.set(new StudioWindow(new Stage(), store, lane).inpaint().viewModel()));
        assertEquals(3.5, again.get().guidanceProperty().get(), 1e-12);
        Path old = dir.resolve("old-inpaint-settings-" + System.nanoTime() + ".json");
        Files.writeString(old, "{\"inpaint\": {\"model\": \"" + model.replace("\\", "\\\\") + "\", \"task\": "
                + "\"inpaint\", \"steps\": 3}}\n", StandardCharsets.UTF_8);
        robot.interact(() -> again.set(new StudioWindow(new Stage(), new SettingsStore(old), lane).inpaint()
                .viewModel()));
        assertEquals(3, again.get().stepsProperty().get(), "the old file was read");
        assertNull(again.get().guidanceProperty().get());
        assertEquals(GuidedFixture.INPAINT, again.get().effectiveGuidance(), 1e-12);
    }
}
