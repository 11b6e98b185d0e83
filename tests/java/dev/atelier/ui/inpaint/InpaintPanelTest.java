package dev.atelier.ui.inpaint;

import dev.atelier.ui.SyntheticDrop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.ui.LaneHold;
import dev.atelier.ui.StudioWindow;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.controlsfx.control.NotificationPane;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Inpainting panel in the real studio window (headless under Monocle). */
class InpaintPanelTest extends StudioFixture {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Override
    double[] geometry() {
        return new double[] {0, 0, 1200, 780};
    }

    /** An 84×56 gray image: the center 56×56 holds 2×2 blocks of level (9·bx + 5·by) mod 256; the sides are white. */
    static Path blocks(String name) throws Exception {
        return blocks(dir, name);
    }

    static Path blocks(Path dir, String name) throws Exception {
        BufferedImage img = new BufferedImage(84, 56, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 84; x++) {
                int v = x < 14 || x >= 70 ? 255 : level((x - 14) / 2, y / 2);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        Path f = dir.resolve(name);
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    static int level(int bx, int by) {
        return (9 * bx + 5 * by) % 256;
    }

    private void showInpainting(FxRobot robot) {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void dropAndWait(FxRobot robot, Path file) throws Exception {
        Node panel = robot.lookup("#inpainting-panel").query();
        boolean[] completed = new boolean[1];
        robot.interact(() -> {
            try {
                completed[0] = SyntheticDrop.dropFiles(panel, file.toFile());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(completed[0], "the panel took the dropped file");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !vm.importingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String notification(FxRobot robot) {
        NotificationPane pane = robot.lookup("#notifications").queryAs(NotificationPane.class);
        return pane.isShowing() ? pane.getText() : null;
    }

    @Test
    void aDroppedFileIsCenterCroppedAndResampledAsTheEngineDoesAndTheCropIsShown(FxRobot robot) throws Exception {
        showInpainting(robot);
        dropAndWait(robot, blocks("blocks.png"));
        InputImage in = vm.inputProperty().get();
        assertNotNull(in);
        assertEquals(84, in.sourceWidth());
        assertArrayEquals(new int[] {14, 0, 56}, in.crop());
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float expected = (float) (2 * (double) (float) (level(x, y) / 255.0) - 1);
                assertEquals(expected, in.pixels()[y * 28 + x], 1e-6, "pixel " + x + "," + y);
            }
        }
        String shown = robot.lookup("#inpaint-source").queryLabeled().getText();
        assertTrue(shown.contains("84×56") && shown.contains("center 56×56") && shown.contains("28×28"), shown);
        // with an input, Ctrl+2 puts the focus on Run
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        showInpainting(robot);
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(robot.lookup("#inpaint-run").query(), stage.getScene().getFocusOwner());
    }

    @Test
    void ctrl2FocusesOpenWhenThereIsNoInput(FxRobot robot) {
        showInpainting(robot);
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(robot.lookup("#inpaint-open").query(), stage.getScene().getFocusOwner());
    }

    private Point2D screenOf(FxRobot robot, double mx, double my) {
        MaskEditor editor = robot.lookup("#inpaint-canvas").queryAs(MaskEditor.class);
        return editor.localToScreen(editor.originX() + mx * editor.scale(), editor.originY() + my * editor.scale());
    }

    @Test
    void aRobotStrokePaintsTheExpectedDiscAndCapsuleAndUndoRedoRestoreThem(FxRobot robot) throws Exception {
        showInpainting(robot);
        dropAndWait(robot, blocks("paint.png"));
        robot.interact(() -> vm.brushProperty().set(3));
        MaskEditor editor = robot.lookup("#inpaint-canvas").queryAs(MaskEditor.class);
        assertTrue(editor.scale() >= 4, "the editor shows the image enlarged, scale " + editor.scale());

        robot.moveTo(screenOf(robot, 10, 12)).press(MouseButton.PRIMARY).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        boolean[] disc = MaskModelTest.disc(28, 10, 12, 3);
        assertArrayEquals(disc, vm.maskProperty().get().mask());

        robot.moveTo(screenOf(robot, 6, 22)).press(MouseButton.PRIMARY);
        robot.moveTo(screenOf(robot, 14, 22)).moveTo(screenOf(robot, 20, 22)).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        boolean[] both = vm.maskProperty().get().mask();
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                boolean capsule = (px >= 6 && px <= 20 && Math.abs(py - 22) <= 3)
                        || Math.hypot(px - 6, py - 22) <= 3 || Math.hypot(px - 20, py - 22) <= 3;
                assertEquals(disc[y * 28 + x] || capsule, both[y * 28 + x], "pixel " + x + "," + y);
            }
        }

        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(disc, vm.maskProperty().get().mask());
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, vm.maskProperty().get().count());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z).release(KeyCode.Z, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(disc, vm.maskProperty().get().mask());
        robot.press(KeyCode.CONTROL, KeyCode.Y).release(KeyCode.Y, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(both, vm.maskProperty().get().mask());

        // the eraser (right button) keeps what it touches; invert and clear are undo steps too
        robot.moveTo(screenOf(robot, 10, 12)).press(MouseButton.SECONDARY).release(MouseButton.SECONDARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(vm.maskProperty().get().get(10, 12));
        robot.clickOn("#inpaint-invert");
        assertTrue(vm.maskProperty().get().get(10, 12));
        robot.clickOn("#inpaint-clear");
        assertEquals(0, vm.maskProperty().get().count());
        robot.clickOn("#inpaint-undo");
        assertTrue(vm.maskProperty().get().get(10, 12));
    }

    /** Pixels whose centre is within r of the segment (ax, y)–(bx, y), by the capsule's geometry. */
    private static boolean inCapsule(int x, int y, double ax, double bx, double cy, double r) {
        double px = x + 0.5;
        double py = y + 0.5;
        return (px >= ax && px <= bx && Math.abs(py - cy) <= r) || Math.hypot(px - ax, py - cy) <= r
                || Math.hypot(px - bx, py - cy) <= r;
    }

    @Test
    void aStrokePaintedInAGreyLevelIsTheImageTheServiceEditsAndUndoRedoRestoreIt(FxRobot robot) throws Exception {
        showInpainting(robot);
        dropAndWait(robot, blocks("stroke.png"));
        robot.interact(() -> vm.taskProperty().set(dev.atelier.consistency.EditTask.STROKE));
        WaitForAsyncUtils.waitForFxEvents();
        // the grey level picker (grey model): arrow keys move it by 16 from white
        javafx.scene.control.Slider grey = robot.lookup("#inpaint-stroke-grey").queryAs(javafx.scene.control.Slider.class);
        assertTrue(grey.isVisible() && !robot.lookup("#inpaint-stroke-colour").query().isVisible());
        robot.interact(() -> {
            grey.setValue(96);
            grey.requestFocus();
        });
        robot.type(KeyCode.LEFT, 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0x404040, vm.strokeColourProperty().get(), "96 − 2·16 = 64 on all three channels");
        robot.interact(() -> vm.brushProperty().set(2));

        robot.moveTo(screenOf(robot, 6, 9)).press(MouseButton.PRIMARY);
        robot.moveTo(screenOf(robot, 13, 9)).moveTo(screenOf(robot, 20, 9)).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        int[] paint = vm.maskProperty().get().paint();
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(inCapsule(x, y, 6, 20, 9, 2) ? 0xff404040 : 0, paint[y * 28 + x], "pixel " + x + "," + y);
            }
        }
        assertEquals(0, vm.maskProperty().get().count(), "a stroke paints the stroke layer, not the mask");
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, vm.maskProperty().get().paintCount());
        robot.press(KeyCode.CONTROL, KeyCode.Y).release(KeyCode.Y, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(paint, vm.maskProperty().get().paint());

        // the picture the service must get: the input's 8-bit levels, 64 under the stroke (built here, by hand)
        float[] input = vm.inputProperty().get().pixels();
        BufferedImage expected = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 28 * 28; i++) {
            expected.getRaster().setSample(i % 28, i / 28, 0, inCapsule(i % 28, i / 28, 6, 20, 9, 2) ? 64
                    : dev.atelier.image.PngImages.to8bit(input[i]));
        }
        EditResult r = runOnce(robot, dev.atelier.consistency.EditTask.STROKE, 11);
        for (int i = 0; i < 28 * 28; i++) {
            assertEquals(expected.getRaster().getSample(i % 28, i / 28, 0), dev.atelier.image.PngImages.to8bit(r.before()[i]),
                    "the before image is the stroke painting, pixel " + i);
        }
        com.fasterxml.jackson.databind.JsonNode ran = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.parameters());
        assertEquals("stroke", ran.path("task").asText());
        // the same edit of the hand-built picture, straight through the service, gives the same image
        dev.atelier.app.ImageResult direct = window.services().editing().run(new dev.atelier.runtime.JobOwner("test"),
                new dev.atelier.app.EditingRequest.Stroke(null, dev.atelier.app.ImageInput.of(expected), 11L, 1,
                        null, null), null);
        assertEquals(64, ran.path("imageSha256").asText().length(), r.parameters());
        assertEquals(ran.path("imageSha256").asText(), new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(direct.settings().toJson()).path("imageSha256").asText(), r.parameters());
        assertArrayEquals(direct.image(0), r.after());
    }

    @Test
    void theMouseWheelChangesTheBrush(FxRobot robot) throws Exception {
        showInpainting(robot);
        dropAndWait(robot, blocks("wheel.png"));
        robot.interact(() -> vm.brushProperty().set(3));
        robot.moveTo(screenOf(robot, 14, 14));
        robot.scroll(2, javafx.geometry.VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.brushProperty().get() != 3, "brush now " + vm.brushProperty().get());
        // the keyboard: ] and [ change it by half a pixel, the Brush slider's arrow keys too
        robot.interact(() -> vm.brushProperty().set(3));
        robot.type(KeyCode.CLOSE_BRACKET, 3).type(KeyCode.OPEN_BRACKET);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(4, vm.brushProperty().get(), 1e-9);
        robot.interact(() -> robot.lookup("#inpaint-brush").query().requestFocus());
        robot.type(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3.5, vm.brushProperty().get(), 1e-9);
    }

    /** A valid 1×1 PNG whose header declares {@code w}×{@code h}: decoders must refuse it before decoding. */
    static byte[] pngDeclaring(int w, int h) throws Exception {
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", small);
        byte[] b = small.toByteArray();
        ByteBuffer.wrap(b, 16, 8).putInt(w).putInt(h);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
        return b;
    }

    @Test
    void badFilesShowANotificationNamingTheProblemAndTheStateStays(FxRobot robot) throws Exception {
        showInpainting(robot);
        dropAndWait(robot, blocks("good.png"));
        robot.moveTo(screenOf(robot, 14, 14)).press(MouseButton.PRIMARY).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        InputImage before = vm.inputProperty().get();
        boolean[] maskBefore = vm.maskProperty().get().mask();
        assertTrue(vm.maskProperty().get().count() > 0);

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "these are notes, not pixels", StandardCharsets.UTF_8);
        Path huge = dir.resolve("huge.png");
        Files.write(huge, pngDeclaring(10_000, 8_000));
        byte[] goodBytes = Files.readAllBytes(blocks("whole.png"));
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, java.util.Arrays.copyOf(goodBytes, goodBytes.length / 2));

        Object[][] cases = {{text, "not an image"}, {huge, "80.0 megapixels"}, {truncated, "truncated or damaged"},
            {dir.resolve("missing.png"), "does not exist"}};
        for (Object[] c : cases) {
            robot.interact(() -> robot.lookup("#notifications").queryAs(NotificationPane.class).hide());
            dropAndWait(robot, (Path) c[0]);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> notification(robot) != null);
            String shown = notification(robot);
            assertTrue(shown.contains((String) c[1]) && shown.contains(((Path) c[0]).getFileName().toString()),
                    c[0] + ": " + shown);
            assertSame(before, vm.inputProperty().get());
            assertArrayEquals(maskBefore, vm.maskProperty().get().mask());
            assertTrue(vm.maskProperty().get().canUndo(), "the undo history stays too");
        }
    }

    @Test
    void panelSettingsComeBackAtTheNextStart(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.brushProperty().set(5.5);
            vm.overlayProperty().set(0.3);
            vm.randomSeedProperty().set(false);
            vm.seedProperty().set(1234);
            vm.stepsProperty().set(3);
            vm.taskProperty().set(dev.atelier.consistency.EditTask.DENOISE);
            vm.strokeColourProperty().set(0x505050);
        });
        robot.interact(stage::hide);
        InpaintViewModel[] again = new InpaintViewModel[1];
        robot.interact(() -> {
            Stage s = new Stage();
            again[0] = new StudioWindow(s, store, lane).inpaint().viewModel();
        });
        InpaintViewModel v = again[0];
        assertEquals(5.5, v.brushProperty().get());
        assertEquals(0.3, v.overlayProperty().get());
        assertFalse(v.randomSeedProperty().get());
        assertEquals(1234, v.seedProperty().get());
        assertEquals(3, v.stepsProperty().get());
        assertEquals(dev.atelier.consistency.EditTask.DENOISE, v.taskProperty().get());
        assertEquals(0x505050, v.strokeColourProperty().get());
    }


    @Test
    void anInpaintWithTheShippedModelKeepsTheKnownPixelsExactlyAndABadTaskKeepsTheResults(FxRobot robot)
            throws Exception {
        showInpainting(robot);
        dropAndWait(robot, blocks("run.png"));
        robot.interact(() -> {
            vm.brushProperty().set(5);
            vm.maskProperty().get().beginStroke(14, 8, 5, false);
            vm.maskProperty().get().strokeTo(14, 20);
            vm.maskProperty().get().endStroke();
            vm.taskProperty().set(dev.atelier.consistency.EditTask.INPAINT);
            vm.randomSeedProperty().set(false);
            vm.seedProperty().set(7);
            vm.stepsProperty().set(2);
            vm.countProperty().set(2);
        });
        boolean[] regenerate = vm.maskProperty().get().mask();
        float[] input = vm.inputProperty().get().pixels();
        robot.clickOn("#inpaint-run");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> vm.results().size() == 2 && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        int changed = 0;
        for (int k = 0; k < 2; k++) {
            EditResult r = vm.results().get(k);
            assertEquals(7 + k, r.seed());
            assertArrayEquals(input, r.before());
            for (int i = 0; i < 28 * 28; i++) {
                if (!regenerate[i]) {
                    assertEquals(Float.floatToIntBits(input[i]), Float.floatToIntBits(r.after()[i]),
                            "known pixel " + i + " of result " + k + " is the input's, bit for bit");
                } else if (Math.abs(r.after()[i] - input[i]) > 1e-3) {
                    changed++;
                }
            }
            assertTrue(r.parameters().contains("\"task\":\"inpaint\"") && r.parameters().contains("\"seed\":7"),
                    r.parameters());
        }
        assertTrue(changed > 20, "the model regenerated the masked pixels (" + changed + " changed)");
        assertSame(vm.results().get(0), ((CompareView) stage.getScene().lookup("#inpaint-compare"))
                .resultProperty().get());

        // the before/after divider follows the pointer, snapped to whole pixels, and moves the slider
        CompareView compare = (CompareView) stage.getScene().lookup("#inpaint-compare");
        robot.moveTo(compare.localToScreen(compare.originX() + 7.2 * compare.scale(), compare.originY() + 10))
                .press(MouseButton.PRIMARY).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(7, compare.splitColumn());
        javafx.scene.control.Slider divider = (javafx.scene.control.Slider) stage.getScene()
                .lookup("#inpaint-compare-slider");
        assertEquals(7.2 / 28, divider.getValue(), 0.5 / 28);
        // the slider by keyboard: one model pixel per arrow key
        robot.interact(divider::requestFocus);
        robot.type(KeyCode.RIGHT, 7);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(14, compare.splitColumn(), "7.2 + 7 pixels");
        // what is on screen: the input left of the divider, the result right of it, pixel for pixel
        javafx.scene.image.WritableImage[] snap = new javafx.scene.image.WritableImage[1];
        robot.interact(() -> snap[0] = compare.snapshot(null, null));
        EditResult first = vm.results().get(0);
        double k = compare.scale();
        int differ = 0;
        for (int y = 6; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (x == 13 || x == 14) {
                    continue; // the divider line
                }
                float[] side = x < 14 ? first.before() : first.after();
                int level = dev.atelier.image.PngImages.to8bit(side[y * 28 + x]);
                int argb = snap[0].getPixelReader().getArgb((int) (compare.originX() + (x + 0.5) * k),
                        (int) (compare.originY() + (y + 0.5) * k));
                assertEquals(0xff000000 | level << 16 | level << 8 | level, argb, "pixel " + x + "," + y);
                if (dev.atelier.image.PngImages.to8bit(first.before()[y * 28 + x])
                        != dev.atelier.image.PngImages.to8bit(first.after()[y * 28 + x])) {
                    differ += x < 14 ? 1 : 1000;
                }
            }
        }
        assertTrue(differ % 1000 > 5 && differ / 1000 > 5, "the check sees changed pixels on both sides: " + differ);

        // save: a PNG of the result with its parameters; copy: the result on the clipboard
        Path saved = dir.resolve("result.png");
        robot.interact(() -> vm.saveResult(saved));
        assertEquals(vm.results().get(0).parameters(), dev.atelier.image.PngImages.readParameters(saved));
        BufferedImage png = ImageIO.read(saved.toFile());
        for (int i = 0; i < 28 * 28; i++) {
            assertEquals(dev.atelier.image.PngImages.to8bit(vm.results().get(0).after()[i]),
                    png.getRaster().getSample(i % 28, i / 28, 0), "saved pixel " + i);
        }
        robot.interact(() -> javafx.scene.input.Clipboard.getSystemClipboard().clear());
        robot.clickOn("#inpaint-copy");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.Image[] copied = new javafx.scene.image.Image[1];
        robot.interact(() -> copied[0] = javafx.scene.input.Clipboard.getSystemClipboard().getImage());
        assertEquals(28, copied[0].getWidth());
        for (int i = 0; i < 28 * 28; i++) {
            int v = png.getRaster().getSample(i % 28, i / 28, 0);
            assertEquals(0xff000000 | v << 16 | v << 8 | v, copied[0].getPixelReader().getArgb(i % 28, i / 28),
                    "copied pixel " + i);
        }

        // a model that cannot do the task: a notification naming the problem, the results stay
        java.util.List<EditResult> before = java.util.List.copyOf(vm.results());
        robot.interact(() -> robot.lookup("#notifications").queryAs(NotificationPane.class).hide());
        robot.interact(() -> vm.taskProperty().set(dev.atelier.consistency.EditTask.COLORIZE));
        robot.clickOn("#inpaint-run");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> notification(robot) != null && !vm.runningProperty().get());
        assertTrue(notification(robot).contains("Colorization needs an RGB model"), notification(robot));
        assertEquals("model", vm.problemFieldProperty().get());
        assertTrue(stage.getScene().lookup("#inpaint-model").getStyleClass().contains("field-problem"));
        assertEquals(before, java.util.List.copyOf(vm.results()));

        // use as input: the result (as its 8-bit picture) becomes the input, the mask stays for the next pass
        robot.interact(vm::useResultAsInput);
        float[] after = vm.results().get(0).after();
        float[] now = vm.inputProperty().get().pixels();
        for (int i = 0; i < now.length; i++) {
            assertEquals(2 * dev.atelier.image.PngImages.to8bit(after[i]) / 255.0 - 1, now[i], 1e-6, "pixel " + i);
        }
        assertArrayEquals(regenerate, vm.maskProperty().get().mask());
    }

    /** Runs {@code task} once from the panel (Run button, fixed seed, one result) and returns the result. */
    private EditResult runOnce(FxRobot robot, dev.atelier.consistency.EditTask task, long seed) throws Exception {
        robot.interact(() -> {
            vm.results().clear();
            vm.taskProperty().set(task);
            vm.randomSeedProperty().set(false);
            vm.seedProperty().set(seed);
            vm.countProperty().set(1);
        });
        robot.clickOn("#inpaint-run");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> vm.results().size() == 1 && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        return vm.results().get(0);
    }

    /** Runs one inpaint (seed 7) of a stroke on blocks.png from the panel and returns the σ list that ran. */
    private java.util.List<Double> inpaintOnce(FxRobot robot) throws Exception {
        com.fasterxml.jackson.databind.JsonNode ran = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(runOnce(robot, dev.atelier.consistency.EditTask.INPAINT, 7).parameters());
        assertEquals("inpaint", ran.path("task").asText());
        java.util.List<Double> sigmas = new java.util.ArrayList<>();
        ran.path("sigmas").forEach(v -> sigmas.add(v.asDouble()));
        return sigmas;
    }

    /** @return the shipped model's manifest entry at {@code path}, as numbers */
    private static java.util.List<Double> manifestList(String... path) throws Exception {
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of("assets/models/fashion-mnist/manifest.json").toFile());
        for (String p : path) {
            n = n.path(p);
        }
        java.util.List<Double> out = new java.util.ArrayList<>();
        n.forEach(v -> out.add(v.asDouble()));
        assertFalse(out.isEmpty(), "the manifest has " + String.join(".", path));
        return out;
    }

    @Test
    void stepsStartAtTheTasksTunedScheduleAndAPickedCountOverridesItUntilDefaultIsTickedAgain(FxRobot robot)
            throws Exception {
        java.util.List<Double> tuned = manifestList("edit_schedules", "inpaint", "sigmas");
        showInpainting(robot);
        dropAndWait(robot, blocks("schedule.png"));
        robot.interact(() -> {
            vm.maskProperty().get().beginStroke(14, 8, 5, false);
            vm.maskProperty().get().endStroke();
        });
        javafx.scene.control.CheckBox useDefault = robot.lookup("#inpaint-steps-default")
                .queryAs(javafx.scene.control.CheckBox.class);
        @SuppressWarnings("unchecked")
        javafx.scene.control.Spinner<Integer> steps = robot.lookup("#inpaint-steps")
                .queryAs(javafx.scene.control.Spinner.class);

        // a fresh panel: Default, showing the tuned list and its length
        assertTrue(useDefault.isSelected());
        assertEquals(null, vm.stepsProperty().get());
        assertEquals(tuned.size(), steps.getValue());
        assertTrue(useDefault.getText().contains("80.0, 10.0, 2.00, 2.00, 0.500"), useDefault.getText());
        assertEquals(tuned, inpaintOnce(robot));

        // a step count picked in the spinner: the model's sampling schedule of that length runs
        robot.clickOn(steps.lookup(".decrement-arrow-button"));
        WaitForAsyncUtils.waitForFxEvents();
        int picked = tuned.size() - 1;
        assertEquals(picked, vm.stepsProperty().get());
        assertFalse(useDefault.isSelected());
        assertEquals(manifestList("schedules", Integer.toString(picked)), inpaintOnce(robot));

        // ticking Default goes back, and the settings file records null (the default)
        robot.clickOn(useDefault);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(null, vm.stepsProperty().get());
        assertEquals(tuned.size(), steps.getValue());
        assertEquals(null, store.load().inpaint.steps);
        assertEquals(tuned, inpaintOnce(robot));
    }

    @Test
    void escCancelsTheRunningEditAndTheResultsStay(FxRobot robot) throws Exception {
        showInpainting(robot);
        dropAndWait(robot, blocks("cancel.png"));
        robot.interact(() -> {
            vm.maskProperty().get().invert();
            vm.taskProperty().set(dev.atelier.consistency.EditTask.INPAINT);
            vm.stepsProperty().set(64);
            vm.countProperty().set(16);
        });
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.progressProperty().get() > 0);
        assertTrue(vm.runningProperty().get());
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.results().isEmpty(), "a cancelled run shows no results");
        assertEquals("Run", robot.lookup("#inpaint-run").queryButton().getText());
    }

    @Test
    void aShortJobShowsNeitherCancelNorTheProgressBarALongOneShowsThemAfterTheGraceEscCancelsAtOnce(FxRobot robot)
            throws Exception {
        showInpainting(robot);
        dropAndWait(robot, blocks("grace.png"));
        robot.interact(() -> vm.taskProperty().set(dev.atelier.consistency.EditTask.DENOISE));
        javafx.scene.control.Button run = robot.lookup("#inpaint-run").queryButton();
        javafx.scene.control.ProgressBar bar = robot.lookup("#inpaint-progress")
                .queryAs(javafx.scene.control.ProgressBar.class);
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> {
            LaneHold.record(seen, "button", run.textProperty());
            LaneHold.record(seen, "bar visible", bar.visibleProperty());
        });
        try (LaneHold hold = new LaneHold(robot, window)) { // the panel's job waits, busy, until cancelled
            // a short job: Esc cancels it at once, within the grace; nothing was shown meanwhile
            robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
            assertTrue(vm.runningProperty().get(), "Ctrl+Enter submitted the job");
            assertEquals("Run", run.getText());
            robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
            Thread.sleep(dev.atelier.ui.common.Grace.DELAY_MS + 300); // a grace timer would have fired by now
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(java.util.List.of(), seen, "nothing is repainted while a short job runs");
            assertTrue(vm.results().isEmpty());

            // a long one: Cancel and the progress bar once it has run for the grace; the button then cancels
            long t0 = System.nanoTime();
            robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> bar.isVisible());
            assertTrue(System.nanoTime() - t0 >= dev.atelier.ui.common.Grace.DELAY_MS * 1_000_000L);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(java.util.List.of("button Cancel", "bar visible true"), seen);
            robot.clickOn(run);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(java.util.List.of("button Cancel", "bar visible true", "button Run", "bar visible false"),
                    seen);
            assertTrue(vm.results().isEmpty(), "the button cancelled the job");
        }
    }

    @Test
    void pasteAndSendToTakeTheSameImportPath(FxRobot robot) throws Exception {
        showInpainting(robot);
        Path file = blocks("pasted.png");
        robot.interact(() -> {
            javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
            content.putFiles(java.util.List.of(file.toFile()));
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        robot.press(KeyCode.CONTROL, KeyCode.V).release(KeyCode.V, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.inputProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        InputImage pasted = vm.inputProperty().get();
        assertEquals("pasted.png", pasted.source());

        // "send to" from Sampling: pixels in memory, fitted by the same code (a 28×28 picture is kept as it is)
        robot.interact(() -> vm.importImage(pasted.picture(), "Sampling, seed 5"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.inputProperty().get() != pasted);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Sampling, seed 5", vm.inputProperty().get().source());
        assertArrayEquals(pasted.pixels(), vm.inputProperty().get().pixels());

        // an image in memory over the limit gets the file path's message, and the state stays
        InputImage kept = vm.inputProperty().get();
        robot.interact(() -> vm.importImage(new BufferedImage(10_000, 5_001, BufferedImage.TYPE_BYTE_BINARY), "the clipboard"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> notification(robot) != null);
        assertTrue(notification(robot).contains("the clipboard is 10000×5001 = 50.0 megapixels, more than the 50"),
                notification(robot));
        assertSame(kept, vm.inputProperty().get());
    }
}
