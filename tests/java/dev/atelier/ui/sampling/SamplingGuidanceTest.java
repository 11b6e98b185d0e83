package dev.atelier.ui.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.image.PngImages;
import dev.atelier.runtime.InferenceLane;
import dev.atelier.ui.GuidedFixture;
import dev.atelier.ui.StudioWindow;
import dev.atelier.ui.common.FieldProblems;
import dev.atelier.ui.common.Settings;
import dev.atelier.ui.common.SettingsStore;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Sampling panel's Guidance control with a tiny guidable model whose manifest gives a known default weight
 * ({@link GuidedFixture}), headless: the control starts at that default, a weight typed by keyboard reaches the
 * sampling service in full runs, drag previews and resamples (the images equal the engine's at that weight and
 * differ from unguided ones), it survives a restart, history and PNGs restore it, and a model that cannot be guided
 * disables it and still runs.
 */
@ExtendWith(ApplicationExtension.class)
class SamplingGuidanceTest {
    @TempDir
    static Path dir;

    private InferenceLane lane;
    private SettingsStore store;
    private SamplingViewModel vm;
    private String model;

    @Start
    void start(Stage stage) throws Exception {
        model = GuidedFixture.make(dir).toString();
        lane = new InferenceLane();
        store = new SettingsStore(dir.resolve("settings-" + System.nanoTime() + ".json"));
        Settings s = new Settings();
        s.width = 1200;
        s.height = 760;
        s.sampling.model = model;
        s.sampling.randomSeed = false;
        s.sampling.seed = 5;
        s.sampling.count = 2;
        s.sampling.steps = 2; // one step saturates the fixture's pixels: guided or not, they look alike
        store.save(s);
        StudioWindow window = new StudioWindow(stage, store, lane);
        vm = window.sampling();
        stage.show();
        window.startEngine();
    }

    @AfterEach
    void stopLane() {
        lane.close();
    }

    private void waitForModel(String name) throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.modelInfoProperty().get() != null
                && vm.modelInfoProperty().get().name().equals(name) && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void generateAndWait(FxRobot robot) throws Exception {
        int before = vm.runsCompleted();
        robot.interact(vm::generate);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
                () -> vm.runsCompleted() > before && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The 8-bit values (C·H·W per image) the engine itself makes for seeds 5, 6 at {@code steps} and weight w. */
    private int[][] engine(int count, int steps, double w) throws Exception {
        return SamplingPanelTest.engineImages(lane, model, m -> new SampleRequest(model, 5, count,
                Arrays.stream(m.schedule(steps)).boxed().toList(), null, w));
    }

    /** @return the image's R, G and B planes, as the model lays them out */
    private static int[] rgb(Image img) {
        int w = (int) img.getWidth();
        int plane = w * (int) img.getHeight();
        int[] out = new int[3 * plane];
        for (int p = 0; p < plane; p++) {
            int argb = img.getPixelReader().getArgb(p % w, p / w);
            for (int c = 0; c < 3; c++) {
                out[c * plane + p] = argb >> (16 - 8 * c) & 0xff;
            }
        }
        return out;
    }

    /** @return the largest difference in levels between the first {@code n} results and {@code expected} */
    private int worst(int[][] expected, int n) {
        int worst = 0;
        for (int i = 0; i < n; i++) {
            int[] got = rgb(vm.results().get(i).image());
            for (int p = 0; p < got.length; p++) {
                worst = Math.max(worst, Math.abs(got[p] - expected[i][p]));
            }
        }
        return worst;
    }

    @Test
    void theWeightStartsAtTheManifestsDefaultAndReachesEveryRunPreviewAndResample(FxRobot robot) throws Exception {
        waitForModel(model);
        Spinner<?> spinner = robot.lookup("#sampling-guidance").queryAs(Spinner.class);
        CheckBox useDefault = robot.lookup("#sampling-guidance-default").queryAs(CheckBox.class);
        assertEquals(GuidedFixture.SAMPLING, (Double) spinner.getValue(), 1e-12, "the manifest's default is shown");
        assertFalse(spinner.isDisabled());
        assertTrue(useDefault.isSelected());
        assertEquals("Default: 0.7", useDefault.getText());
        assertNull(vm.guidanceProperty().get());
        generateAndWait(robot);
        assertEquals(GuidedFixture.SAMPLING, vm.shownRequest().guidance(), "the service ran the default");
        assertTrue(robot.lookup("#sampling-summary").queryLabeled().getText().contains("guidance 0.7"));

        // keyboard: Alt+G (the label's mnemonic) reaches the spinner; type a weight, Enter; the up arrow adds 0.1
        robot.press(KeyCode.ALT, KeyCode.G).release(KeyCode.G, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(spinner.isFocused() || spinner.getEditor().isFocused(), "Alt+G focuses the weight");
        robot.interact(() -> spinner.getEditor().selectAll());
        robot.write("1.6").type(KeyCode.ENTER).type(KeyCode.UP);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(vm.guidanceProperty().get());
        assertEquals(1.7, vm.guidanceProperty().get(), 1e-9);
        assertFalse(useDefault.isSelected(), "a chosen weight leaves the default");
        assertEquals(1.7, store.load().sampling.guidance, 1e-9, "saved in the settings");
        generateAndWait(robot);
        assertEquals(1.7, vm.shownRequest().guidance(), 1e-9);
        assertTrue(worst(engine(2, 2, 1.7), 2) <= 1, "the engine's images at w = 1.7");
        int diff = worst(engine(2, 2, 0), 2);
        assertTrue(diff > 4, "guidance changes the images (by " + diff + " levels)");
        assertTrue(vm.results().get(0).caption().contains("guidance 1.7"), vm.results().get(0).caption());
        assertEquals(1.7, vm.results().get(0).parameters().guidance(), 1e-9, "a saved PNG carries the weight");

        // a drag preview (the first images at 3 steps) and the resample on release keep the weight
        robot.interact(() -> vm.stepsDragged(3));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.summaryProperty().get().startsWith("Preview: 3"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(worst(engine(2, 3, 1.7), 2) <= 1, "the preview's images at w = 1.7");
        assertTrue(worst(engine(2, 3, 0), 2) > 4, "an unguided preview would differ");
        int runs = vm.runsCompleted();
        robot.interact(() -> vm.stepsCommitted(3));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.runsCompleted() > runs && !vm.runningProperty().get());
        assertEquals(3, vm.shownRequest().sigmas().size());
        assertEquals(1.7, vm.shownRequest().guidance(), 1e-9);

        // ticking Default goes back to the manifest's weight
        robot.clickOn(useDefault);
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(vm.guidanceProperty().get());
        assertEquals(GuidedFixture.SAMPLING, (Double) spinner.getValue(), 1e-12);

        // an interpolation runs the weight shown (its own task default would be none)
        robot.interact(() -> {
            vm.interpolateProperty().set(true);
            vm.seedBProperty().set(9);
            vm.countProperty().set(3);
        });
        generateAndWait(robot);
        assertTrue(vm.shownRequest() instanceof dev.atelier.consistency.EditRequest e && "interpolate".equals(e.task()));
        assertEquals(GuidedFixture.SAMPLING, vm.shownRequest().guidance(), 1e-12);
        assertTrue(vm.results().get(1).caption().contains("guidance 0.7"), vm.results().get(1).caption());

        // a problem the service names "guidance" outlines the control
        robot.interact(() -> vm.notifyProblem("bad weight", "guidance", null));
        assertTrue(spinner.getStyleClass().contains(FieldProblems.STYLE));
    }

    @Test
    void historyPngsAndSettingsRestoreTheWeight(FxRobot robot) throws Exception {
        waitForModel(model);
        generateAndWait(robot); // the default, 0.7
        robot.interact(() -> vm.guidanceProperty().set(2.5));
        generateAndWait(robot);
        assertEquals(2.5, vm.shownRequest().guidance(), 1e-9);

        // history: the older entry brings back 0.7, the newer 2.5
        robot.interact(() -> vm.restore(vm.history().get(1)));
        assertEquals(GuidedFixture.SAMPLING, vm.guidanceProperty().get(), 1e-9);
        robot.interact(() -> vm.restore(vm.history().get(0)));
        assertEquals(2.5, vm.guidanceProperty().get(), 1e-9);

        // a PNG made at 2.5 restores 2.5; one written before guidance existed (no "guidance") restores none
        Path png = dir.resolve("guided-" + System.nanoTime() + ".png");
        robot.interact(() -> vm.save(vm.results().get(1), png));
        robot.interact(() -> vm.guidanceProperty().set(4.0));
        assertTrue(restore(robot, png));
        assertEquals(2.5, vm.guidanceProperty().get(), 1e-9);
        assertEquals(6, vm.seedProperty().get());
        SampleRequest old = new SampleRequest(model, 9, 1, List.of(80.0), 1);
        assertFalse(old.toJson().contains("guidance"));
        Path oldPng = dir.resolve("old-" + System.nanoTime() + ".png");
        PngImages.write(oldPng, new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), old.toJson());
        assertTrue(restore(robot, oldPng));
        assertEquals(0.0, vm.guidanceProperty().get(), 1e-12, "an old PNG ran without guidance");
        generateAndWait(robot);
        assertEquals(0.0, vm.shownRequest().guidance(), 1e-12);

        // a restart brings back the chosen weight
        robot.interact(() -> vm.guidanceProperty().set(3.2));
        AtomicReference<SamplingViewModel> again = new AtomicReference<>();
        robot.interact(() -> again.set(new StudioWindow(new Stage(), store, lane).sampling()));
        assertEquals(3.2, again.get().guidanceProperty().get(), 1e-9);
        GenerationRequest newest = GenerationRequest.fromJson(again.get().history().get(0).parameters());
        assertEquals(0.0, newest.guidance(), 1e-12, "the history keeps each run's weight");

        // a settings file written before guidance existed loads, and the model's default applies
        Path oldSettings = dir.resolve("old-settings-" + System.nanoTime() + ".json");
        Files.writeString(oldSettings, "{\"theme\": \"dark\", \"sampling\": {\"model\": " + quoted(model)
                + ", \"steps\": 3, \"seed\": 11, \"randomSeed\": false, \"count\": 2}}\n", StandardCharsets.UTF_8);
        SettingsStore oldStore = new SettingsStore(oldSettings);
        assertNull(oldStore.load().sampling.guidance);
        AtomicReference<StudioWindow> fromOld = new AtomicReference<>();
        robot.interact(() -> {
            fromOld.set(new StudioWindow(new Stage(), oldStore, lane));
            fromOld.get().sampling().start();
        });
        SamplingViewModel b = fromOld.get().sampling();
        assertEquals(11, b.seedProperty().get(), "the old file was read");
        assertNull(b.guidanceProperty().get());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> b.modelInfoProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(GuidedFixture.SAMPLING, b.effectiveGuidance(), 1e-12);
        robot.interact(() -> fromOld.get().sampling().cancel());
    }

    private boolean restore(FxRobot robot, Path png) {
        boolean[] ok = new boolean[1];
        robot.interact(() -> ok[0] = vm.restoreFromPng(png));
        return ok[0];
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void aModelThatCannotBeGuidedDisablesTheControlAndStillRuns(FxRobot robot) throws Exception {
        waitForModel(model);
        robot.interact(() -> vm.guidanceProperty().set(2.0));
        String plain = GuidedFixture.UNGUIDABLE.toString();
        robot.interact(() -> vm.selectModel(plain));
        waitForModel(plain);
        Spinner<?> spinner = robot.lookup("#sampling-guidance").queryAs(Spinner.class);
        CheckBox useDefault = robot.lookup("#sampling-guidance-default").queryAs(CheckBox.class);
        assertTrue(spinner.isDisabled());
        assertTrue(useDefault.isDisabled());
        assertEquals(0.0, (Double) spinner.getValue(), 1e-12, "what runs: no guidance");
        String why = robot.lookup("#sampling-guidance-label").queryAs(Label.class).getTooltip().getText();
        assertTrue(why.contains("\"no class\""), why);
        generateAndWait(robot);
        assertNull(vm.problemFieldProperty().get(), "the chosen weight was not sent to a model without a no class");
        assertEquals(0.0, vm.shownRequest().guidance(), 1e-12);
        assertFalse(vm.summaryProperty().get().contains("guidance"));

        // back on the guidable model the chosen weight applies again
        robot.interact(() -> vm.selectModel(model));
        waitForModel(model);
        assertFalse(spinner.isDisabled());
        assertEquals(2.0, (Double) spinner.getValue(), 1e-12);

        // a weight typed and run at once with Ctrl+Enter (no Enter first) is the one that runs
        robot.press(KeyCode.ALT, KeyCode.G).release(KeyCode.G, KeyCode.ALT);
        robot.interact(() -> spinner.getEditor().selectAll());
        robot.write("2.2");
        int runs = vm.runsCompleted();
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.runsCompleted() > runs && !vm.runningProperty().get());
        assertEquals(2.2, vm.shownRequest().guidance(), 1e-12);
        assertEquals(2.2, vm.guidanceProperty().get(), 1e-12);
    }
}
