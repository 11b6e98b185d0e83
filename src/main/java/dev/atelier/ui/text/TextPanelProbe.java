package dev.atelier.ui.text;

import dev.atelier.runtime.JobOwner;
import dev.atelier.text.ConstraintSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * Measures the Text panel's latency for {@code atelier bench text-panel}: in the real window, with the shipped
 * language model, it generates {@code runs + 1} times (the first warms the model up) for "The soldiers" with beam
 * 10, 30 new tokens and 3 constraints (a phrase, an any-of group, an ordered pair), and prints for each run the
 * milliseconds from Generate to the first layout pulse after the results are in the list ({@code text-shown-ms}),
 * the search's own time ({@code text-search-ms}), and the panel's own work: on the FX thread for the live bank
 * snapshots ({@code text-snapshots-ms}) and for putting the result in ({@code text-result-ms}), and from then to
 * the end of the layout pass ({@code text-layout-ms}), and the CPU time the window's threads (FX and renderer) used
 * from Generate to then ({@code text-window-cpu-ms}: on a loaded machine a robust measure of what drawing the
 * panel takes from the search); after each run the same request runs through the text
 * service alone, without the snapshots the panel asks for ({@code text-bare-ms}); then it exits.
 */
public final class TextPanelProbe {
    private final TextPanelView panel;
    private final Scene scene;
    private final int runs;
    private int done;
    /** CPU nanoseconds of the window's threads (FX, renderer) at Generate */
    private long windowCpuAtStart;

    private TextPanelProbe(TextPanelView panel, Scene scene, int runs) {
        this.panel = panel;
        this.scene = scene;
        this.runs = runs;
    }

    /**
     * Sets the panel up and starts; call on the FX thread once the window is shown.
     *
     * @param panel the Text panel (shown)
     * @param scene the window's scene
     * @param runs timed runs after the warm-up
     */
    public static void start(TextPanelView panel, Scene scene, int runs) {
        TextPanelViewModel vm = panel.viewModel();
        vm.chips().clear();
        vm.promptsProperty().set("The soldiers");
        vm.beamsProperty().set(10);
        vm.maxNewTokensProperty().set(30);
        vm.numReturnProperty().set(1);
        vm.noRepeatNgramProperty().set(0);
        vm.lengthPenaltyProperty().set(1.0);
        vm.addChip(ConstraintSpec.Kind.PHRASE).values().setAll("the enemy");
        vm.addChip(ConstraintSpec.Kind.ANY).values().setAll("fought", "attacked", "killed");
        vm.addChip(ConstraintSpec.Kind.ORDERED).values().setAll("the river", "the bridge");
        TextPanelProbe probe = new TextPanelProbe(panel, scene, runs);
        vm.setOnResultShown(probe::shown);
        probe.next();
    }

    /** Generates as soon as the chips are tokenised and Generate is enabled. */
    private void next() {
        TextPanelViewModel vm = panel.viewModel();
        boolean ready = vm.blockReasonProperty().get() == null
                && vm.chips().stream().allMatch(c -> c.previewProperty().get() != null);
        if (ready) {
            windowCpuAtStart = windowCpu();
            vm.generate();
        } else {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                Platform.runLater(this::next);
            });
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * @return CPU nanoseconds used so far by the threads that draw the window (the FX application thread and the
     *     renderer): what the panel's live view costs the machine while the search runs beside it
     */
    private static long windowCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.equals("JavaFX Application Thread") || n.startsWith("QuantumRenderer")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    /**
     * Runs the same request through the text service alone (no snapshots, no panel) and prints its search time
     * ({@code text-bare-ms}), then starts the next run.
     */
    private void bare() {
        TextPanelViewModel vm = panel.viewModel();
        vm.services().text().submit(new JobOwner("bench"), vm.lastRequest(), Platform::runLater, null).result()
                .whenComplete((r, e) -> Platform.runLater(() -> {
                    if (e != null) {
                        System.err.println("The text service failed: " + e);
                        Platform.exit();
                        return;
                    }
                    if (done > 0) {
                        System.out.printf(Locale.ROOT, "text-bare-ms %.1f%n", r.seconds() * 1e3);
                    }
                    done++;
                    if (done > runs) {
                        Platform.exit();
                    } else {
                        next();
                    }
                }));
    }

    private void shown(TextPanelViewModel.RunTimes t) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            long now = System.nanoTime();
            double windowMs = (windowCpu() - windowCpuAtStart) / 1e6;
            if (done > 0) {
                System.out.printf(Locale.ROOT, "text-window-cpu-ms %.1f%n", windowMs);
                // the last line of a run is text-shown-ms (the bench reads a run when it arrives)
                System.out.printf(Locale.ROOT, "text-search-ms %.1f%ntext-snapshots-ms %.1f%ntext-result-ms %.1f%n"
                        + "text-layout-ms %.1f%ntext-shown-ms %.1f%n", t.searchSeconds() * 1e3,
                        t.snapshotSeconds() * 1e3, t.resultSeconds() * 1e3, (now - t.resultDone()) / 1e6,
                        (now - t.started()) / 1e6);
            }
            bare();
        };
        scene.addPostLayoutPulseListener(once[0]);
        Platform.requestNextPulse();
    }
}
