package dev.atelier.ui.text;

import dev.atelier.text.ConstraintSpec;
import java.util.Locale;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * Measures the Text panel's latency for {@code atelier bench text-panel}: in the real window, with the shipped
 * language model, it generates {@code runs + 1} times (the first warms the model up) for "The soldiers" with beam
 * 10, 30 new tokens and 3 constraints (a phrase, an any-of group, an ordered pair), and prints for each run the
 * milliseconds from Generate to the first layout pulse after the results are in the list ({@code text-shown-ms})
 * and the search's own time ({@code text-search-ms}); then it exits.
 */
public final class TextPanelProbe {
    private final TextPanelView panel;
    private final Scene scene;
    private final int runs;
    private int done;

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
        vm.setOnResultShown((started, searchSeconds) -> probe.shown(started, searchSeconds));
        probe.next();
    }

    /** Generates as soon as the chips are tokenised and Generate is enabled. */
    private void next() {
        TextPanelViewModel vm = panel.viewModel();
        boolean ready = vm.blockReasonProperty().get() == null
                && vm.chips().stream().allMatch(c -> c.previewProperty().get() != null);
        if (ready) {
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

    private void shown(long started, double searchSeconds) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            double ms = (System.nanoTime() - started) / 1e6;
            if (done > 0) {
                System.out.printf(Locale.ROOT, "text-shown-ms %.1f%ntext-search-ms %.1f%n", ms, searchSeconds * 1e3);
            }
            done++;
            if (done > runs) {
                Platform.exit();
            } else {
                Platform.runLater(this::next);
            }
        };
        scene.addPostLayoutPulseListener(once[0]);
        Platform.requestNextPulse();
    }
}
