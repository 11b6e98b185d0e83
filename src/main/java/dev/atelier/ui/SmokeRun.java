package dev.atelier.ui;

import dev.atelier.ui.sampling.SampleImage;
import dev.atelier.ui.sampling.SamplingViewModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import javax.imageio.ImageIO;
import org.controlsfx.control.NotificationPane;

/**
 * The installed app's self-check ({@code Atelier --smoke OUT.png}): opens the studio window, switches to
 * the Sampling panel with its shortcut (Ctrl+1), presses its Generate button once the shipped model is
 * loaded, waits for the results, saves the first one through the panel's own save path (a PNG with its
 * parameters) and exits 0. Any failure, or no result within {@code -Datelier.smokeTimeoutSeconds}
 * (default 300), prints what went wrong on stderr and exits 1. Progress goes to stderr as "smoke: …" lines.
 */
final class SmokeRun {
    private final StudioWindow window;
    private final Stage stage;
    private final Path out;
    private final SamplingViewModel sampling;
    private volatile String step = "opening the window";
    private volatile String lastNotice = "";
    private boolean fired;
    /** A run started after Generate: "not running and no results" then means it ended empty. */
    private boolean sawRun;
    private boolean finished;

    private SmokeRun(StudioWindow window, Stage stage, Path out) {
        this.window = window;
        this.stage = stage;
        this.out = out.toAbsolutePath();
        this.sampling = window.sampling();
    }

    /** Arms the smoke run on a window that is about to be shown. */
    static void install(StudioWindow window, Stage stage, Path out) {
        SmokeRun run = new SmokeRun(window, stage, out);
        long timeout = Long.getLong("atelier.smokeTimeoutSeconds", 300);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeout * 1000);
            } catch (InterruptedException e) {
                return;
            }
            run.fail("no result within " + timeout + " s (step: " + run.step + ")");
        }, "atelier-smoke-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> run.shown());
    }

    private void shown() {
        log("window shown, " + (int) stage.getWidth() + "x" + (int) stage.getHeight());
        if (window.scene().lookup("#notifications") instanceof NotificationPane n) {
            n.textProperty().addListener((o, was, now) -> {
                if (now != null && !now.isBlank()) {
                    lastNotice = now;
                    log("notification: " + now);
                }
            });
        }
        step = "switching to the Sampling panel (Ctrl+1)";
        Runnable ctrl1 = window.scene().getAccelerators().get(
                new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN));
        if (ctrl1 == null) {
            fail("the window has no Ctrl+1 shortcut for the Sampling panel");
            return;
        }
        ctrl1.run();
        Node node = window.scene().lookup("#sampling-generate");
        if (!(node instanceof Button generate)) {
            fail("the Sampling panel has no Generate button (#sampling-generate)");
            return;
        }
        step = "waiting for the engine and the shipped model";
        sampling.results().addListener((ListChangeListener<SampleImage>) c -> check());
        sampling.runningProperty().addListener((o, was, running) -> {
            sawRun |= running && fired;
            check();
        });
        sampling.modelInfoProperty().addListener((o, was, info) -> fireWhenReady(generate));
        generate.disabledProperty().addListener((o, was, disabled) -> fireWhenReady(generate));
        fireWhenReady(generate);
    }

    private void fireWhenReady(Button generate) {
        if (fired || sampling.modelInfoProperty().get() == null || generate.isDisabled()) {
            return;
        }
        fired = true;
        sampling.results().clear();
        String engine = window.scene().lookup("#engine-label") instanceof Labeled l ? l.getText() : "engine";
        log(engine + "; model loaded; pressing Generate");
        step = "generating";
        generate.fire();
        check();
    }

    private void check() {
        if (!fired || finished || sampling.runningProperty().get()) {
            return;
        }
        if (sampling.results().isEmpty()) {
            if (sawRun) {
                fail("the Generate run ended without images" + (lastNotice.isEmpty() ? "" : ": " + lastNotice));
            }
            return;
        }
        finished = true;
        step = "saving the first result";
        SampleImage first = sampling.results().get(0);
        try {
            sampling.save(first, out);
            BufferedImage back = ImageIO.read(out.toFile());
            if (back == null) {
                fail(out + " was written but is not a readable PNG");
                return;
            }
            int distinct = distinctPixels(back);
            if (distinct < 2) {
                fail(out + " holds a blank image (one colour): the generation produced nothing");
                return;
            }
            log(sampling.results().size() + " images generated; saved the first to " + out + " ("
                    + back.getWidth() + "x" + back.getHeight() + ", " + distinct + " distinct pixel values, "
                    + Files.size(out) + " bytes)");
            log("OK");
            Platform.exit();
        } catch (IOException | RuntimeException e) {
            fail("saving " + out + " failed: " + e.getMessage());
        }
    }

    private static int distinctPixels(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    private void log(String message) {
        System.err.println("smoke: " + message);
    }

    private void fail(String message) {
        System.err.println("smoke: FAILED: " + message);
        Thread t = new Thread(() -> System.exit(1), "atelier-smoke-exit");
        t.start();
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1);
        }, "atelier-smoke-halt");
        halt.setDaemon(true);
        halt.start();
    }
}
