package dev.atelier.ui.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.image.PngImages;
import dev.atelier.runtime.ConsistencyModels;
import ai.djl.Device;
import dev.atelier.runtime.InferenceLane;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.JobOwner;
import dev.atelier.runtime.LoadedConsistencyModel;
import dev.atelier.base.ModelLocator;
import dev.atelier.ui.SyntheticDrop;
import dev.atelier.ui.StudioWindow;
import dev.atelier.ui.common.FieldProblems;
import dev.atelier.ui.common.Settings;
import dev.atelier.ui.common.SettingsStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.controlsfx.control.NotificationPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Sampling panel in the studio window with the shipped model, headless (Monocle): the step slider by
 * keyboard and by drag runs exactly one job for the final value with unchanged seeds (the images equal a
 * direct engine run with those seeds), Esc cancels a run, dropped files restore settings or are refused
 * with a notification, and settings and history survive a restart.
 */
@ExtendWith(ApplicationExtension.class)
class SamplingPanelTest {
    @TempDir
    static Path dir;

    private InferenceLane lane;
    private SettingsStore store;
    private StudioWindow window;
    private SamplingViewModel vm;

    @Start
    void start(Stage stage) throws Exception {
        lane = new InferenceLane();
        store = new SettingsStore(dir.resolve("settings-" + System.nanoTime() + ".json"));
        Settings s = new Settings();
        s.width = 1200;
        s.height = 760;
        s.sampling.randomSeed = false;
        s.sampling.seed = 7;
        s.sampling.count = 4;
        s.sampling.steps = 2;
        store.save(s);
        window = new StudioWindow(stage, store, lane);
        vm = window.sampling();
        stage.show();
        window.startEngine();
    }

    @AfterEach
    void stopLane() {
        lane.close();
    }

    private static boolean drop(Node target, Path file) {
        try {
            return SyntheticDrop.dropFiles(target, file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void waitForModel() throws Exception {
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> vm.modelInfoProperty().get() != null);
    }

    private void generateAndWait(FxRobot robot) throws Exception {
        waitForModel();
        int before = vm.runsCompleted();
        robot.interact(vm::generate);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS,
                () -> vm.runsCompleted() > before && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * Waits until at least {@code runs} full runs have finished and the panel is idle, then a little longer, so a
     * second (wrong) job would have been counted.
     */
    private void settle(int runs) throws Exception {
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS,
                () -> vm.runsCompleted() >= runs && !vm.runningProperty().get());
        Thread.sleep(1500);
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
    }

    /**
     * Samples the request directly with the engine (a second copy of the model), with the model's default guidance
     * from its manifest, as the panel runs it: the expected 8-bit pixels.
     */
    private int[][] expectedPixels(String model, long seed, int count, int steps) throws Exception {
        return expectedPixels(model, seed, count, steps, null);
    }

    private int[][] expectedPixels(String model, long seed, int count, int steps, Integer label) throws Exception {
        return engineImages(lane, model, m -> new SampleRequest(model, seed, count,
                Arrays.stream(m.schedule(steps)).boxed().toList(), label, m.guidance(null, m.guidance())));
    }

    /**
     * Samples a request directly with the engine, on a second copy of the model loaded on {@code lane}.
     *
     * @param request builds the request from the loaded model (its schedules and defaults)
     * @return each image's 8-bit values, C·H·W
     */
    static int[][] engineImages(InferenceLane lane, String model,
            java.util.function.Function<LoadedConsistencyModel, SampleRequest> request) throws Exception {
        return lane.run(new JobOwner("test"), JobKind.OTHER, ctx -> {
            try (LoadedConsistencyModel m = ConsistencyModels.load(ModelLocator.resolve(model), Device.cpu())) {
                SampleRequest r = request.apply(m);
                float[] x = new ConsistencyEngine(m.model()).sample(r, null);
                int n = x.length / r.count();
                int[][] px = new int[r.count()][n];
                for (int i = 0; i < r.count(); i++) {
                    for (int p = 0; p < n; p++) {
                        px[i][p] = PngImages.to8bit(x[i * n + p]);
                    }
                }
                return px;
            }
        }, null);
    }

    private static int[] gray(Image img) {
        int w = (int) img.getWidth();
        int[] out = new int[w * (int) img.getHeight()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (img.getPixelReader().getArgb(i % w, i / w) >> 16) & 0xff;
        }
        return out;
    }

    /** The results on screen are exactly seeds 7…10 sampled with K steps by the engine itself. */
    private void assertResultsAre(int steps) throws Exception {
        SampleRequest shown = (SampleRequest) vm.shownRequest();
        assertEquals(7, shown.seed());
        assertEquals(4, shown.count());
        assertEquals(steps, shown.sigmas().size());
        assertEquals(List.of(7L, 8L, 9L, 10L), vm.results().stream().map(SampleImage::seed).toList());
        int[][] expected = expectedPixels(shown.model(), 7, 4, steps);
        for (int i = 0; i < 4; i++) {
            int[] got = gray(vm.results().get(i).image());
            int worst = 0;
            for (int p = 0; p < got.length; p++) {
                worst = Math.max(worst, Math.abs(got[p] - expected[i][p]));
            }
            assertTrue(worst <= 1, "image " + i + " differs from the engine's by up to " + worst + " levels");
        }
    }

    @Test
    void keyboardStepsRunOneJobForTheFinalValueWithTheSameSeeds(FxRobot robot) throws Exception {
        generateAndWait(robot);
        assertResultsAre(2);
        int runs = vm.runsCompleted();
        int historyBefore = vm.history().size();
        Slider slider = robot.lookup("#sampling-steps").queryAs(Slider.class);
        robot.interact(slider::requestFocus);
        robot.type(KeyCode.RIGHT, 3); // 2 → 5, faster than the settle delay: one job, for 5
        settle(runs + 1);
        assertEquals(runs + 1, vm.runsCompleted(), "one job ran for the three key presses");
        assertEquals(historyBefore + 1, vm.history().size());
        assertEquals(5, vm.stepsProperty().get());
        assertResultsAre(5);
        assertTrue(robot.lookup("#sampling-summary").queryLabeled().getText().contains("5 steps"));
    }

    @Test
    void draggingTheSliderPreviewsAndRunsOneJobForTheReleasedValue(FxRobot robot) throws Exception {
        generateAndWait(robot);
        int runs = vm.runsCompleted();
        Slider slider = robot.lookup("#sampling-steps").queryAs(Slider.class);
        Node thumb = slider.lookup(".thumb");
        double perStep = (slider.getWidth() - thumb.getBoundsInLocal().getWidth()) / (slider.getMax() - 1);
        robot.drag(thumb).moveBy(perStep * 2, 0).moveBy(perStep * 2, 0).moveBy(perStep * 2.2, 0).drop();
        settle(runs + 1);
        int k = vm.stepsProperty().get();
        assertTrue(k >= 6 && k <= 10, "the slider landed at " + k);
        assertEquals(runs + 1, vm.runsCompleted(), "previews do not count; one full job ran for " + k);
        assertResultsAre(k);
    }

    @Test
    void ctrl1ThenCtrlEnterGivesImagesAndEscCancelsARun(FxRobot robot) throws Exception {
        waitForModel();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Loaded model fashion-mnist", robot.lookup("#job-message").queryLabeled().getText(),
                "the status line after start-up");
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#sampling-generate").query().isFocused(), "Ctrl+1 focuses Generate");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> vm.results().size() == 4 && !vm.runningProperty().get());
        int runs = vm.runsCompleted();
        List<SampleImage> before = List.copyOf(vm.results());

        // keyboard only: Tab from Generate reaches the results; an arrow key moves to the next one and shows it large
        robot.type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        Node owner = robot.lookup("#sampling-generate").query().getScene().getFocusOwner();
        assertTrue(owner.getStyleClass().contains("result-tile"), "Tab went to " + owner);
        assertSame(vm.results().get(0), vm.selectedProperty().get());
        robot.type(KeyCode.RIGHT);
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(vm.results().get(1), vm.selectedProperty().get());
        // Shift+F10 opens the tile's menu from the keyboard (the platform sends no menu event for it on Linux);
        // its last entry, reached with an arrow, puts that image's seed into the form
        robot.interact(() -> vm.seedProperty().set(7));
        robot.press(KeyCode.SHIFT, KeyCode.F10).release(KeyCode.F10, KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
        List<String> items = javafx.stage.Window.getWindows().stream()
                .filter(w -> w instanceof javafx.scene.control.ContextMenu && w.isShowing())
                .flatMap(w -> ((javafx.scene.control.ContextMenu) w).getItems().stream())
                .map(javafx.scene.control.MenuItem::getText).toList();
        assertEquals(List.of("Save PNG…", "Copy", "Send to Inpainting", "Reuse this seed"), items);
        robot.type(KeyCode.UP).type(KeyCode.ENTER); // Up reaches the last entry whether or not the first has focus
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(vm.results().get(1).seed(), vm.seedProperty().get(), "Reuse this seed, chosen by keyboard");
        // the grid is one Tab stop: the next Tab leaves it for the large view's buttons
        robot.type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("sampling-save", robot.lookup("#sampling-generate").query().getScene().getFocusOwner().getId());
        robot.press(KeyCode.SHIFT, KeyCode.TAB).release(KeyCode.TAB, KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(vm.results().get(1), vm.selectedProperty().get(), "Shift+Tab comes back to the selected tile");
        assertTrue(robot.lookup("#sampling-generate").query().getScene().getFocusOwner().getStyleClass()
                .contains("result-tile"));
        robot.interact(() -> robot.lookup("#sampling-generate").query().requestFocus());

        // a long run (64 images, 64 steps), cancelled with Esc after a few steps
        robot.interact(() -> {
            vm.countProperty().set(64);
            vm.stepsProperty().set(64);
        });
        robot.interact(vm::generate);
        Button generate = robot.lookup("#sampling-generate").queryButton();
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> vm.progressProperty().get() > 0);
        // the button says Cancel once the run has lasted the grace (a short run repaints nothing)
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> generate.getText().startsWith("Cancel"));
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(runs, vm.runsCompleted(), "the cancelled run finished no results");
        assertEquals(4, vm.results().size(), "the previous results stay");
        assertEquals(before.stream().map(SampleImage::seed).toList(),
                vm.results().stream().map(SampleImage::seed).toList());
        assertTrue(generate.getText().startsWith("Generate"));
    }

    @Test
    void aDroppedAtelierPngRestoresItsSettingsAndBadFilesChangeNothing(FxRobot robot) throws Exception {
        generateAndWait(robot);
        SampleImage third = vm.results().get(2);
        Path png = dir.resolve("third-" + System.nanoTime() + ".png");
        robot.interact(() -> vm.save(third, png));
        GenerationRequest saved = PngImages.readRequest(png);
        assertEquals(9, saved.seed());

        Node panel = robot.lookup("#sampling-view").query();
        // a text file: refused with a notification, nothing changes
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello", StandardCharsets.UTF_8);
        AtomicBoolean taken = new AtomicBoolean(true);
        robot.interact(() -> taken.set(drop(panel, text)));
        assertFalse(taken.get());
        NotificationPane bar = robot.lookup("#notifications").queryAs(NotificationPane.class);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, bar::isShowing);
        assertTrue(bar.getText().contains("notes.txt") && bar.getText().contains("neither a model"), bar.getText());
        assertEquals(7, vm.seedProperty().get());

        // a broken model folder: a notification names the problem; the previous model stays loaded and usable
        Path broken = Files.createDirectories(dir.resolve("broken-model-" + System.nanoTime()));
        Files.writeString(broken.resolve("manifest.json"), "{ not json", StandardCharsets.UTF_8);
        robot.interact(() -> bar.hide());
        robot.interact(() -> drop(panel, broken));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> bar.isShowing() && bar.getText() != null
                && bar.getText().contains("manifest"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("fashion-mnist", vm.modelInfoProperty().get().name());
        assertEquals("fashion-mnist", vm.modelProperty().get());
        // the service's error names its field: the model picker is outlined and takes the focus
        Node picker = robot.lookup("#sampling-model").query();
        assertEquals("model", vm.problemFieldProperty().get());
        assertTrue(picker.getStyleClass().contains(FieldProblems.STYLE), picker.getStyleClass().toString());
        assertTrue(picker.isFocused(), "focus on " + picker.getScene().getFocusOwner());

        // a readable manifest over weights that are not a model: the load job fails, the previous model stays
        Path badWeights = Files.createDirectories(dir.resolve("bad-weights-" + System.nanoTime()));
        Files.writeString(badWeights.resolve("manifest.json"), "{\"format\": \"atelier-model/1\", \"kind\": "
                + "\"consistency\", \"name\": \"bad\", \"weights\": \"model.pt\", \"image\": {\"size\": 28, "
                + "\"channels\": 1}, \"c_noise\": \"ln(sigma)/4\", \"scalings_inside\": false}",
                StandardCharsets.UTF_8);
        Files.writeString(badWeights.resolve("model.pt"), "these bytes are not a model", StandardCharsets.UTF_8);
        robot.interact(() -> bar.hide());
        robot.interact(() -> drop(panel, badWeights));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> bar.isShowing() && bar.getText() != null
                && bar.getText().contains("model.pt"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("fashion-mnist", vm.modelInfoProperty().get().name());
        assertEquals("fashion-mnist", vm.modelProperty().get());
        assertEquals(4, vm.results().size(), "the results on screen stay");

        // change the form, then drop the PNG: its settings come back
        robot.interact(() -> {
            vm.seedProperty().set(1234);
            vm.stepsProperty().set(6);
            vm.countProperty().set(9);
            vm.classChoiceProperty().set("Bag");
            vm.randomSeedProperty().set(true);
        });
        AtomicBoolean restored = new AtomicBoolean();
        robot.interact(() -> restored.set(drop(panel, png)));
        assertTrue(restored.get());
        assertEquals(9, vm.seedProperty().get());
        assertEquals(2, vm.stepsProperty().get());
        assertEquals(1, vm.countProperty().get());
        assertFalse(vm.randomSeedProperty().get(), "a restored seed is reused");
        assertEquals(SamplingViewModel.RANDOM_CLASS, vm.classChoiceProperty().get());
        // and Generate remakes exactly the saved image; the run clears the outline
        generateAndWait(robot);
        assertTrue(Arrays.equals(gray(third.image()), gray(vm.results().get(0).image())));
        assertNull(vm.problemFieldProperty().get());
        assertFalse(picker.getStyleClass().contains(FieldProblems.STYLE));

        // Copy puts the selected image on the clipboard at its own size: seed 9 at 2 steps, as the engine makes it
        robot.interact(() -> javafx.scene.input.Clipboard.getSystemClipboard().clear());
        robot.clickOn("#sampling-copy");
        WaitForAsyncUtils.waitForFxEvents();
        Image[] copied = new Image[1];
        robot.interact(() -> copied[0] = javafx.scene.input.Clipboard.getSystemClipboard().getImage());
        assertNotNull(copied[0], "the clipboard holds an image");
        assertEquals(28, copied[0].getWidth());
        assertNear(expectedPixels("fashion-mnist", 9, 1, 2)[0], gray(copied[0]));

        // send it to the Inpainting panel: it becomes that panel's input, and the panel is shown
        robot.interact(() -> vm.sendToInpainting(vm.results().get(0)));
        var inpaint = window.inpaint().viewModel();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> inpaint.inputProperty().get() != null);
        assertEquals("Sampling, seed 9", inpaint.inputProperty().get().source());
        assertEquals(1, robot.lookup("#panels").queryAs(javafx.scene.control.TabPane.class).getSelectionModel()
                .getSelectedIndex());
    }

    @Test
    void interpolationFramesRunFromSeedAToSeedBAndTheSliderShowsEachFrame(FxRobot robot) throws Exception {
        waitForModel();
        robot.interact(() -> {
            vm.interpolateProperty().set(true);
            vm.seedProperty().set(7);
            vm.seedBProperty().set(8);
            vm.countProperty().set(3);
            vm.classChoiceProperty().set("Sneaker");
        });
        generateAndWait(robot);
        assertEquals(3, vm.results().size());
        // slerp at t = 0 and t = 1 is exactly the noise of seed A and of seed B: the end frames are those samples
        int[][] a = expectedPixels("fashion-mnist", 7, 1, 2, 7);
        int[][] b = expectedPixels("fashion-mnist", 8, 1, 2, 7);
        assertNear(a[0], gray(vm.results().get(0).image()));
        assertNear(b[0], gray(vm.results().get(2).image()));
        assertFalse(Arrays.equals(gray(vm.results().get(1).image()), gray(vm.results().get(0).image())));
        Slider frame = robot.lookup("#sampling-frame").queryAs(Slider.class);
        robot.interact(() -> frame.setValue(2));
        assertEquals(vm.results().get(2), vm.selectedProperty().get());
        robot.interact(() -> frame.setValue(1));
        assertEquals(vm.results().get(1), vm.selectedProperty().get());
    }

    private static void assertNear(int[] expected, int[] got) {
        int worst = 0;
        for (int p = 0; p < got.length; p++) {
            worst = Math.max(worst, Math.abs(got[p] - expected[p]));
        }
        assertTrue(worst <= 1, "differs from the engine's image by up to " + worst + " levels");
    }

    @Test
    void settingsAndHistoryComeBackAfterARestart(FxRobot robot) throws Exception {
        generateAndWait(robot);
        robot.interact(() -> {
            vm.countProperty().set(3);
            vm.stepsProperty().set(3);
            vm.classChoiceProperty().set("Sneaker");
        });
        generateAndWait(robot);
        int history = vm.history().size();
        assertTrue(history >= 2);
        AtomicReference<SamplingViewModel> again = new AtomicReference<>();
        robot.interact(() -> {
            Stage s = new Stage();
            StudioWindow w = new StudioWindow(s, store, lane);
            again.set(w.sampling());
        });
        SamplingViewModel b = again.get();
        assertEquals(3, b.countProperty().get());
        assertEquals(3, b.stepsProperty().get());
        assertEquals("Sneaker", b.classChoiceProperty().get());
        assertEquals(7, b.seedProperty().get());
        assertEquals(history, b.history().size());
        GenerationRequest newest = GenerationRequest.fromJson(b.history().get(0).parameters());
        assertEquals(3, newest.sigmas().size());
        assertEquals(Integer.valueOf(7), newest.classLabel()); // Sneaker is class 7 in the manifest

        // clicking a history entry restores its settings (the older run: 4 images, 2 steps, random class)
        robot.interact(() -> vm.restore(vm.history().get(1)));
        assertEquals(4, vm.countProperty().get());
        assertEquals(2, vm.stepsProperty().get());
        assertEquals(SamplingViewModel.RANDOM_CLASS, vm.classChoiceProperty().get());
        assertNotNull(vm.history().get(1).thumbnailPng());
    }
}
