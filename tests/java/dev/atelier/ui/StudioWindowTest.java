package dev.atelier.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.consistency.EditTask;
import dev.atelier.ui.inpaint.InpaintViewModel;
import java.util.Locale;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;
import dev.atelier.runtime.InferenceLane;
import dev.atelier.runtime.JobHandle;
import dev.atelier.ui.common.Grace;
import dev.atelier.ui.common.SettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
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

@ExtendWith(ApplicationExtension.class)
class StudioWindowTest {
    @TempDir
    static Path dir;

    private InferenceLane lane;
    private SettingsStore store;
    private StudioWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        lane = new InferenceLane();
        store = new SettingsStore(dir.resolve("settings-" + System.nanoTime() + ".json"));
        window = new StudioWindow(stage, store, lane);
        stage.show();
    }

    @AfterEach
    void stopLane() {
        lane.close();
    }

    private TabPane tabs(FxRobot robot) {
        return robot.lookup("#panels").queryAs(TabPane.class);
    }

    @Test
    void opensWithThreePanelsAndSwitchesByClickAndShortcut(FxRobot robot) {
        assertTrue(stage.isShowing());
        assertEquals(3, tabs(robot).getTabs().size());
        assertEquals(0, tabs(robot).getSelectionModel().getSelectedIndex());
        assertTrue(robot.lookup("#sampling-panel").query().isVisible());

        robot.clickOn("Inpainting");
        assertEquals(1, tabs(robot).getSelectionModel().getSelectedIndex());
        assertTrue(robot.lookup("#inpainting-panel").query().isVisible());

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, tabs(robot).getSelectionModel().getSelectedIndex());
        assertTrue(robot.lookup("#text-panel").query().isVisible());

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, tabs(robot).getSelectionModel().getSelectedIndex());
    }

    @Test
    void themePanelAndGeometryAreRestoredWhenTheWindowIsRebuilt(FxRobot robot) throws Exception {
        assertEquals("Dark theme", robot.lookup("#theme-toggle").queryAs(ToggleButton.class).getText(),
                "in the light theme the button offers the dark one");
        robot.clickOn("#theme-toggle");
        assertEquals("Light theme", robot.lookup("#theme-toggle").queryAs(ToggleButton.class).getText());
        // the keyboard's way: Ctrl+Shift+T switches back and forth
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T).release(KeyCode.T, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(stage.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("dark.css")));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T).release(KeyCode.T, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Light theme", robot.lookup("#theme-toggle").queryAs(ToggleButton.class).getText());
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(stage.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("dark.css")));
        robot.interact(() -> {
            stage.setWidth(1000);
            stage.setHeight(700);
        });
        robot.interact(stage::hide);
        assertTrue(Files.exists(store.file()));

        AtomicReference<Stage> rebuilt = new AtomicReference<>();
        robot.interact(() -> {
            Stage s = new Stage();
            new StudioWindow(s, store, lane);
            s.show();
            rebuilt.set(s);
        });
        Stage s = rebuilt.get();
        assertTrue(s.getScene().getStylesheets().stream().anyMatch(css -> css.endsWith("dark.css")));
        assertTrue(((ToggleButton) s.getScene().lookup("#theme-toggle")).isSelected());
        assertEquals(1, ((TabPane) s.getScene().lookup("#panels")).getSelectionModel().getSelectedIndex());
        assertEquals(1000, s.getWidth(), 1.0);
        assertEquals(700, s.getHeight(), 1.0);

        robot.interact(() -> ((ToggleButton) s.getScene().lookup("#theme-toggle")).fire());
        assertFalse(s.getScene().getStylesheets().stream().anyMatch(css -> css.endsWith("dark.css")));
        robot.interact(s::hide);
    }

    /** Issue #16, class 7: a window size from the settings never exceeds the screen, and a bad one is reset. */
    @Test
    void geometryFromTheSettingsFitsTheScreen(FxRobot robot) throws Exception {
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        for (String json : new String[] {"{\"width\":50000,\"height\":40000,\"x\":1e9,\"y\":-1e9}",
            "{\"width\":\"NaN\",\"height\":1e300}"}) {
            Path file = dir.resolve("geometry-" + System.nanoTime() + ".json");
            Files.writeString(file, json);
            SettingsStore odd = new SettingsStore(file);
            AtomicReference<Stage> built = new AtomicReference<>();
            robot.interact(() -> {
                Stage s = new Stage();
                new StudioWindow(s, odd, lane);
                s.show();
                built.set(s);
            });
            Stage s = built.get();
            assertTrue(s.getWidth() <= Math.max(640, screen.getWidth()) + 1, json + ": width " + s.getWidth());
            assertTrue(s.getHeight() <= Math.max(480, screen.getHeight()) + 1, json + ": height " + s.getHeight());
            assertTrue(Double.isFinite(s.getX()) && Double.isFinite(s.getY()));
            robot.interact(s::hide);
        }
    }

    @Test
    void jobCallbacksArriveOnTheFxThreadAndEscCancelsOnlyTheShownPanelsJob(FxRobot robot) throws Exception {
        robot.interact(() -> ((TabPane) robot.lookup("#panels").query()).getSelectionModel().select(0));
        dev.atelier.ui.common.JobsViewModel panel = window.jobsFor(StudioWindow.PANEL_OWNERS.get(0));
        dev.atelier.ui.common.JobsViewModel other = window.jobsFor(StudioWindow.PANEL_OWNERS.get(2));
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean successOnFxThread = new AtomicBoolean();
        AtomicBoolean partialOnFxThread = new AtomicBoolean();
        CompletableFuture<JobHandle<Integer>> handle = new CompletableFuture<>();
        robot.interact(() -> handle.complete(panel.submit(dev.atelier.runtime.JobKind.OTHER, "Counting", ctx -> {
            ctx.partial("first");
            ctx.progress(0.25, "a quarter");
            running.countDown();
            for (int i = 0; i < 100_000; i++) {
                ctx.checkCancelled();
                Thread.sleep(1);
            }
            return 1;
        }, p -> partialOnFxThread.set(javafx.application.Platform.isFxApplicationThread()),
                r -> successOnFxThread.set(true))));
        assertTrue(running.await(5, TimeUnit.SECONDS));
        // another panel's job, queued behind: Esc in the sampling panel must leave it alone
        CompletableFuture<JobHandle<String>> otherHandle = new CompletableFuture<>();
        robot.interact(() -> otherHandle.complete(other.submit(dev.atelier.runtime.JobKind.OTHER, "Other panel",
                ctx -> "other ran", null, null)));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(panel.busyProperty().get() && other.busyProperty().get());
        ProgressBar bar = robot.lookup("#job-progress").queryAs(ProgressBar.class);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, bar::isVisible); // once the job has run for the grace
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0.25, bar.getProgress(), 1e-9);
        assertEquals("a quarter", robot.lookup("#job-message").queryAs(Label.class).getText());
        assertTrue(partialOnFxThread.get());

        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        try {
            handle.get().result().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            assertTrue(expected.getCause() instanceof dev.atelier.runtime.JobCancelledException);
        }
        assertEquals("other ran", otherHandle.get().result().get(5, TimeUnit.SECONDS));
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(successOnFxThread.get());
        assertFalse(bar.isVisible());
        assertFalse(panel.busyProperty().get() || other.busyProperty().get());
        assertEquals("Cancelled: Counting", panel.messageProperty().get());
        assertEquals("Done: Other panel", robot.lookup("#job-message").queryAs(Label.class).getText());

        // the lane goes on: a good job after the cancelled one succeeds, its callback on the FX thread
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean onFx = new AtomicBoolean();
        robot.interact(() -> panel.submit(dev.atelier.runtime.JobKind.OTHER, "Quick", ctx -> 2, null, r -> {
            onFx.set(javafx.application.Platform.isFxApplicationThread());
            done.countDown();
        }));
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(onFx.get());
    }

    @Test
    void aJobShorterThanTheGraceChangesTheStatusBarOnlyWhenItEndsALongerOneShowsItsNewestProgress(FxRobot robot)
            throws Exception {
        ProgressBar bar = robot.lookup("#job-progress").queryAs(ProgressBar.class);
        Label message = robot.lookup("#job-message").queryAs(Label.class);
        List<String> seen = new CopyOnWriteArrayList<>();
        robot.interact(() -> {
            bar.visibleProperty().addListener((o, was, now) -> seen.add("bar " + (now ? "shown" : "hidden")));
            message.textProperty().addListener((o, was, now) -> seen.add(now));
        });
        CountDownLatch quick = new CountDownLatch(1);
        robot.interact(() -> window.jobs().submit(dev.atelier.runtime.JobKind.OTHER, "Quick", ctx -> {
            ctx.progress(0.5, "half way");
            return 1;
        }, null, r -> quick.countDown()));
        assertTrue(quick.await(5, TimeUnit.SECONDS));
        Thread.sleep(Grace.DELAY_MS + 300); // a grace timer of the finished job would have fired by now
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("Done: Quick"), seen, "nothing is repainted while a short job runs");

        seen.clear();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch reported = new CountDownLatch(1);
        robot.interact(() -> window.jobs().submit(dev.atelier.runtime.JobKind.OTHER, "Long", ctx -> {
            ctx.progress(0.25, "a quarter");
            reported.countDown();
            release.await(30, TimeUnit.SECONDS);
            return 2;
        }, null, null));
        assertTrue(reported.await(5, TimeUnit.SECONDS));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, bar::isVisible);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0.25, bar.getProgress(), 1e-9);
        assertEquals("a quarter", message.getText());
        release.countDown();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !bar.isVisible());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Done: Long", message.getText());
        assertEquals(List.of("bar shown", "a quarter", "bar hidden", "Done: Long"), seen);
    }

    @Test
    void aFlagShownAfterTheGraceTurnsOnLateOffAtOnceAndNeverForAShortSpell(FxRobot robot) throws Exception {
        javafx.beans.property.BooleanProperty source = new javafx.beans.property.SimpleBooleanProperty();
        AtomicReference<javafx.beans.property.ReadOnlyBooleanProperty> shown = new AtomicReference<>();
        long t0 = System.nanoTime();
        robot.interact(() -> {
            shown.set(Grace.shown(source));
            source.set(true);
        });
        assertFalse(shown.get().get());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> shown.get().get());
        assertTrue(System.nanoTime() - t0 >= Grace.DELAY_MS * 1_000_000L);
        robot.interact(() -> {
            source.set(false);
            assertFalse(shown.get().get(), "off at once");
            source.set(true); // a short spell: on and off again within the grace
        });
        Thread.sleep(Grace.DELAY_MS / 4);
        robot.interact(() -> source.set(false));
        Thread.sleep(Grace.DELAY_MS + 300);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(shown.get().get());
    }

    @Test
    void theEngineStartsOnTheLaneAndTheStatusBarNamesItAndTheDevice(FxRobot robot) throws Exception {
        robot.interact(window::startEngine);
        Label engine = robot.lookup("#engine-label").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> engine.getText().startsWith("PyTorch"));
        assertTrue(engine.getText().matches("PyTorch \\d+\\.\\d+\\.\\d+ · (CPU, \\d+ threads?|GPU .*)"),
                engine.getText());
    }

    @Test
    void aFailingJobShowsItsMessageInTheNotificationBar(FxRobot robot) throws Exception {
        robot.interact(() -> window.jobs().submit(dev.atelier.runtime.JobKind.OTHER, "Broken job", ctx -> {
            throw new dev.atelier.AtelierException("The mask is empty. Paint the area to regenerate first.");
        }, null, null));
        org.controlsfx.control.NotificationPane pane =
                robot.lookup("#notifications").queryAs(org.controlsfx.control.NotificationPane.class);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, pane::isShowing);
        assertEquals("The mask is empty. Paint the area to regenerate first.", pane.getText());
        assertEquals("Failed: Broken job", robot.lookup("#job-message").queryAs(Label.class).getText());
    }

    // ---- what a new user sees at the default size (fresh settings), in both themes ----

    /** Runs {@code check} in the light theme, then in the dark one. */
    private void inBothThemes(FxRobot robot, Runnable check) {
        check.run();
        robot.clickOn("#theme-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.scene().getStylesheets().stream().anyMatch(s -> s.endsWith("dark.css")));
        check.run();
    }

    /** The text node the field's skin draws its text with. */
    private static Text drawnText(TextField field) {
        return field.lookupAll(".text").stream().filter(n -> n instanceof Text t && t.getText().equals(field.getText()))
                .map(Text.class::cast).findFirst().orElseThrow(() -> new AssertionError("no text node in " + field));
    }

    /**
     * Asserts that the field draws its whole text inside its border, with the caret at the start and at the end
     * (a field too narrow scrolls its text: the end or the start is then outside).
     */
    private static void assertWhole(FxRobot robot, TextField field) {
        for (boolean atEnd : new boolean[] {false, true}) {
            robot.interact(atEnd ? field::end : field::home);
            WaitForAsyncUtils.waitForFxEvents();
            Text text = drawnText(field);
            Bounds b = field.sceneToLocal(text.localToScene(text.getLayoutBounds()));
            String what = "\"" + field.getText() + "\" (caret at the " + (atEnd ? "end" : "start") + ") drawn at x "
                    + b.getMinX() + "…" + b.getMaxX() + " in a field of width " + field.getWidth();
            assertTrue(b.getMinX() >= field.snappedLeftInset() - 0.5, what);
            assertTrue(b.getMaxX() <= field.getWidth() - field.snappedRightInset() + 0.5, what);
        }
    }

    @Test
    void theSeedFieldShowsEverySeedItTakesWholeAtTheDefaultSize(FxRobot robot) {
        TextField seed = robot.lookup("#sampling-seed").queryAs(TextField.class);
        inBothThemes(robot, () -> {
            for (String digits : List.of("888888888888888888", "999999999999999999", "100000000000000007")) {
                // typed as a user does: select all, type, Enter commits
                robot.clickOn(seed);
                robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
                robot.write(digits);
                robot.push(KeyCode.ENTER);
                assertEquals(Long.parseLong(digits), window.sampling().seedProperty().get());
                assertEquals(digits, seed.getText());
                assertWhole(robot, seed);
                // a 19th digit is refused: 18 is the longest seed the field takes
                robot.write("1");
                assertEquals(digits, seed.getText());
            }
            robot.clickOn("#sampling-seed-random");
            String made = seed.getText();
            assertTrue(made.matches("\\d{1,10}"), made);
            assertEquals(Long.parseLong(made), window.sampling().seedProperty().get());
            assertWhole(robot, seed);
        });
        // the keyboard goes from the seed to Reuse, New and Count as before
        robot.clickOn(seed);
        robot.push(KeyCode.TAB);
        assertEquals("sampling-seed-reuse", window.scene().getFocusOwner().getId());
        robot.push(KeyCode.TAB);
        assertEquals("sampling-seed-random", window.scene().getFocusOwner().getId());
        robot.push(KeyCode.TAB);
        Node focus = window.scene().getFocusOwner();
        assertTrue(isInside(focus, "sampling-count"), "Count after New, not " + focus);
    }

    private static boolean isInside(Node n, String id) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (id.equals(p.getId())) {
                return true;
            }
        }
        return false;
    }

    /** The text a labeled cell draws (cut to "…" when it does not fit). */
    private static String drawn(Node cell) {
        Node text = cell.lookup(".text");
        return text instanceof Text t ? t.getText() : null;
    }

    @Test
    void theTaskBoxShowsEveryTaskNameWholeAndSaysWhatEachDoes(FxRobot robot) {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        ComboBox<EditTask> box = robot.lookup("#inpaint-task").queryAs(ComboBox.class);
        Label hint = robot.lookup("#inpaint-hint").queryAs(Label.class);
        inBothThemes(robot, () -> {
            for (EditTask task : InpaintViewModel.TASKS) {
                robot.interact(() -> box.getSelectionModel().select(task));
                WaitForAsyncUtils.waitForFxEvents();
                String name = InpaintViewModel.TASK_NAMES.get(task);
                // the command line's name is recognisable in the menu's name
                assertTrue(name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "").startsWith(task.id()), name);
                assertEquals(name, drawn(box.getButtonCell()), "the box shows the whole name");
                assertTrue(hint.getText().startsWith(InpaintViewModel.TASK_HINTS.get(task)), hint.getText());
                assertFalse(drawn(hint).contains("…"), "the line under the picture is shown whole: " + drawn(hint));
                assertTrue(hint.isVisible() && hint.getHeight() > 0);
                assertTrue(box.getTooltip().getText().contains(InpaintViewModel.TASK_HINTS.get(task)));
                assertTrue(box.getTooltip().getText().contains("--task " + task.id()));
            }
            // the menu's entries are whole too
            robot.clickOn(box);
            WaitForAsyncUtils.waitForFxEvents();
            List<String> entries = robot.lookup(".combo-box-popup .list-cell").queryAllAs(ListCell.class).stream()
                    .filter(c -> c.getItem() != null).map(c -> drawn(c)).toList();
            assertEquals(InpaintViewModel.TASKS.stream().map(InpaintViewModel.TASK_NAMES::get).toList(), entries);
            robot.push(KeyCode.ESCAPE);
            WaitForAsyncUtils.waitForFxEvents();
        });
    }
}
