package dev.atelier.ui.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.consistency.SampleRequest;
import dev.atelier.runtime.InferenceLane;
import dev.atelier.ui.RealDrag;
import dev.atelier.ui.StudioWindow;
import dev.atelier.ui.common.Settings;
import dev.atelier.ui.common.SettingsStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Slider;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Sampling panel under a real display (tests/run-ui-xvfb): the system pointer drags the step slider's thumb
 * (one full job for the released value, seeds unchanged), and drags an Atelier PNG from another window onto the
 * panel through the platform's own drag and drop (its settings come back).
 */
@Tag("xvfb")
@ExtendWith(ApplicationExtension.class)
class SamplingRealDragTest {
    @TempDir
    static Path dir;

    private InferenceLane lane;
    private StudioWindow window;
    private SamplingViewModel vm;

    @Start
    void start(Stage stage) throws Exception {
        lane = new InferenceLane();
        SettingsStore store = new SettingsStore(dir.resolve("settings-" + System.nanoTime() + ".json"));
        Settings s = new Settings();
        s.sampling.randomSeed = false;
        s.sampling.seed = 11;
        s.sampling.count = 4;
        s.sampling.steps = 2;
        store.save(s);
        window = new StudioWindow(stage, store, lane);
        vm = window.sampling();
        stage.setX(260);
        stage.setY(0);
        stage.setWidth(1200);
        stage.setHeight(800);
        stage.show();
        window.startEngine();
    }

    @AfterEach
    void stopLane() {
        lane.close();
    }

    @Test
    void theRealPointerDragsTheSliderAndDropsAnAtelierPng(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> vm.modelInfoProperty().get() != null);
        robot.interact(vm::generate);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> vm.runsCompleted() == 1 && !vm.runningProperty().get());

        // the slider, dragged by the system pointer in small moves: previews may run, one full job for the end value
        Slider slider = robot.lookup("#sampling-steps").queryAs(Slider.class);
        Node thumb = slider.lookup(".thumb");
        double perStep = (slider.getWidth() - thumb.getBoundsInLocal().getWidth()) / (slider.getMax() - 1);
        robot.moveTo(thumb).press(MouseButton.PRIMARY);
        for (int i = 0; i < 12; i++) {
            robot.moveBy(perStep / 2, 0).sleep(30);
        }
        robot.release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> vm.runsCompleted() >= 2 && !vm.runningProperty().get());
        Thread.sleep(800);
        WaitForAsyncUtils.waitForFxEvents();
        int k = vm.stepsProperty().get();
        assertTrue(k >= 6 && k <= 9, "the pointer moved 6 steps from 2; the slider says " + k);
        assertEquals(2, vm.runsCompleted(), "one full job for the released value");
        SampleRequest shown = (SampleRequest) vm.shownRequest();
        assertEquals(k, shown.sigmas().size());
        assertEquals(List.of(11L, 12L, 13L, 14L), vm.results().stream().map(SampleImage::seed).toList());

        // a PNG made by Atelier, dragged from another window with the real pointer
        Path png = dir.resolve("dragged-" + System.nanoTime() + ".png");
        SampleImage second = vm.results().get(1);
        robot.interact(() -> vm.save(second, png));
        robot.interact(() -> {
            vm.seedProperty().set(999);
            vm.countProperty().set(9);
            vm.randomSeedProperty().set(true);
        });
        Node results = robot.lookup("#sampling-results").query();
        Point2D target = results.localToScreen(results.getLayoutBounds().getCenterX(),
                results.getLayoutBounds().getCenterY());
        RealDrag.dragFile(robot, png, target);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> vm.seedProperty().get() == 12);
        assertEquals(1, vm.countProperty().get());
        assertEquals(k, vm.stepsProperty().get());
        assertFalse(vm.randomSeedProperty().get());
    }
}
