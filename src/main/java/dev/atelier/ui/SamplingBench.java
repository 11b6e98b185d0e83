package dev.atelier.ui;

import dev.atelier.ui.sampling.SampleImage;
import dev.atelier.ui.sampling.SamplingViewModel;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.robot.Robot;
import javax.imageio.ImageIO;

/**
 * The latency a user feels in the Sampling panel, measured in the real window (started by
 * {@code atelier bench ui} with {@code -Datelier.uiBench=true}): start → first image after Ctrl+1,
 * Ctrl+Enter typed by the robot; slider release → the one-step batch laid out in the pulse that paints it (and
 * of that, the sampler's own time: the rest is the panel's path from the slider through the lane to the screen);
 * the longest gap between animation pulses while a 64-step batch of 64 runs. Prints one line per figure on
 * stdout and exits. With {@code -Datelier.uiBench.shots=DIR} it also saves the window in the light and
 * dark themes.
 */
final class SamplingBench {
    /** Unmeasured releases before the measured ones (see {@link #run}). */
    private static final int WARM_RELEASES = 120;
    private final StudioWindow window;
    private final SamplingViewModel vm;
    private final Scene scene;

    private SamplingBench(StudioWindow window) {
        this.window = window;
        this.vm = window.sampling();
        this.scene = window.scene();
    }

    /** Starts the scenario on its own thread (call on the FX thread once the window is shown). */
    static void start(StudioWindow window) {
        SamplingBench b = new SamplingBench(window);
        // the first image: typed as a user would, as soon as the window is there
        Robot robot = new Robot();
        // without a window manager (Xvfb) the keyboard follows the pointer: put it over the window first
        javafx.stage.Window w = window.scene().getWindow();
        robot.mouseMove(w.getX() + w.getWidth() / 2, w.getY() + 20);
        robot.keyPress(KeyCode.CONTROL);
        robot.keyPress(KeyCode.DIGIT1);
        robot.keyRelease(KeyCode.DIGIT1);
        robot.keyPress(KeyCode.ENTER);
        robot.keyRelease(KeyCode.ENTER);
        robot.keyRelease(KeyCode.CONTROL);
        CompletableFuture<Long> first = b.nextResultsPainted();
        Thread t = new Thread(() -> {
            try {
                b.run(first);
            } catch (Throwable e) {
                e.printStackTrace();
                System.out.println("bench-failed " + e);
            } finally {
                Platform.exit();
            }
        }, "ui-bench");
        t.setDaemon(true);
        t.start();
    }

    private void run(CompletableFuture<Long> first) throws Exception {
        long firstNanos = first.get(300, TimeUnit.SECONDS);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long nowMs = System.currentTimeMillis();
        long firstMs = nowMs - jvmStart - (System.nanoTime() - firstNanos) / 1_000_000;
        System.out.println("first-image-ms " + firstMs);
        waitIdle();

        String shots = System.getProperty("atelier.uiBench.shots");
        if (shots != null && !shots.isBlank()) {
            screenshots(Path.of(shots));
        }

        // warm: a few batches of 16 at 2 and 1 steps, then 120 releases that are not measured. The JIT goes on
        // compiling for tens of seconds (JavaFX's CSS, layout and software rendering, the UNet's forward: single
        // C2 compilations of 0.1-0.8 s), and a compiler thread working on the side takes a core from the forward
        // pass's two threads: after 6 batches only, 40-180 ms of compiler time fell inside each measured release.
        fx(() -> {
            vm.compareProperty().set(false);
            vm.countProperty().set(16);
        });
        for (int i = 0; i < 3; i++) {
            generate(2);
            generate(1);
        }
        for (int i = 0; i < WARM_RELEASES / 2; i++) {
            release(2);
            release(1);
        }
        List<Long> releases = new ArrayList<>();
        List<Long> sampler = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            release(2);
            long t0 = System.nanoTime();
            CompletableFuture<Long> painted = nextResultsPainted();
            fx(() -> releaseSliderAt(1));
            releases.add((painted.get(600, TimeUnit.SECONDS) - t0) / 1_000_000);
            sampler.add(Math.round(call(vm::shownSeconds) * 1000));
            waitIdle();
        }
        System.out.println("release-1step-16-ms " + join(releases));
        System.out.println("release-1step-16-sampler-ms " + join(sampler));


        // responsiveness while a long batch runs: an animation asks for a pulse every frame
        fx(() -> {
            vm.compareProperty().set(false);
            vm.countProperty().set(64);
        });
        long[] maxGap = {0};
        long[] last = {0};
        AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long t = System.nanoTime();
                if (last[0] != 0) {
                    maxGap[0] = Math.max(maxGap[0], t - last[0]);
                }
                last[0] = t;
            }
        };
        fx(timer::start);
        long t0 = System.nanoTime();
        generate(64);
        double seconds = (System.nanoTime() - t0) / 1e9;
        fx(timer::stop);
        System.out.printf(Locale.ROOT, "pulse-gap-64x64-ms %.1f%n", maxGap[0] / 1e6);
        System.out.printf(Locale.ROOT, "batch-64x64-seconds %.2f%n", seconds);
    }

    private void screenshots(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String theme : List.of("light", "dark")) {
            boolean dark = theme.equals("dark");
            fx(() -> {
                ((ToggleButton) scene.lookup("#theme-toggle")).setSelected(dark);
                vm.randomSeedProperty().set(false);
                vm.seedProperty().set(dark ? 7 : 42);
                vm.countProperty().set(16);
                vm.compareProperty().set(dark); // the dark shot shows "compare with 1 step"
            });
            generate(dark ? 4 : 2);
            fx(() -> vm.selectedProperty().set(vm.results().get(5)));
            Thread.sleep(400);
            CompletableFuture<BufferedImage> shot = new CompletableFuture<>();
            Platform.runLater(() -> shot.complete(SwingFXUtils.fromFXImage(scene.snapshot(null), null)));
            Path file = dir.resolve("sampling-" + theme + ".png");
            ImageIO.write(shot.get(30, TimeUnit.SECONDS), "png", file.toFile());
            System.out.println("screenshot " + file);
        }
        fx(() -> ((ToggleButton) scene.lookup("#theme-toggle")).setSelected(false));
    }

    /** Drags the slider thumb the way SliderSkin does: value changing, moved, released. */
    private void releaseSliderAt(int steps) {
        Slider s = (Slider) scene.lookup("#sampling-steps");
        s.setValueChanging(true);
        s.setValue(steps);
        s.setValueChanging(false);
    }

    private void release(int steps) throws Exception {
        CompletableFuture<Long> painted = nextResultsPainted();
        fx(() -> releaseSliderAt(steps));
        painted.get(600, TimeUnit.SECONDS);
        waitIdle();
    }

    private void generate(int steps) throws Exception {
        CompletableFuture<Long> painted = nextResultsPainted();
        fx(() -> {
            vm.stepsProperty().set(steps);
            vm.generate();
        });
        painted.get(600, TimeUnit.SECONDS);
        waitIdle();
    }

    /**
     * @return completes with System.nanoTime() at the end of the layout pass of the first pulse after the
     *     results of the next finished run are on the list (that pulse paints them)
     */
    private CompletableFuture<Long> nextResultsPainted() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        int runs = call(vm::runsCompleted);
        Platform.runLater(() -> vm.results().addListener(new ListChangeListener<SampleImage>() {
            @Override
            public void onChanged(Change<? extends SampleImage> c) {
                if (vm.runsCompleted() == runs) {
                    return; // a live preview of a step, not the finished run
                }
                vm.results().removeListener(this);
                Runnable[] once = new Runnable[1];
                once[0] = () -> {
                    scene.removePostLayoutPulseListener(once[0]);
                    done.complete(System.nanoTime());
                };
                scene.addPostLayoutPulseListener(once[0]);
                Platform.requestNextPulse();
            }
        }));
        return done;
    }

    private void waitIdle() throws Exception {
        for (int i = 0; i < 60_000 && call(() -> vm.runningProperty().get()); i += 5) {
            Thread.sleep(5);
        }
    }

    private static void fx(Runnable r) throws Exception {
        call(() -> {
            r.run();
            return null;
        });
    }

    private static <T> T call(Supplier<T> s) {
        if (Platform.isFxApplicationThread()) {
            return s.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(s.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.join();
    }

    private static String join(List<Long> values) {
        StringBuilder b = new StringBuilder();
        for (long v : values) {
            b.append(b.length() == 0 ? "" : " ").append(v);
        }
        return b.toString();
    }
}
