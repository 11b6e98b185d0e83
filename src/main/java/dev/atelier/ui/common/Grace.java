package dev.atelier.ui.common;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.value.ObservableBooleanValue;

/**
 * Busy indications that appear only for jobs that last longer than {@link #DELAY_MS}: a short job (a slider
 * release's 16 one-step images take ≈ 50 ms) changes nothing on screen while it runs. On a 2-core machine PyTorch
 * runs a forward pass on two threads that wait for each other at every operation, so any repaint during the job —
 * a progress bar appearing, the status line changing, an indeterminate bar animating at 60 frames/s, each frame drawn
 * in software and copied to the X server — takes a core from one of them: the same forward took 1.5–3× as long in
 * the studio as on the command line (docs/BENCHMARKS.md, "Sampling panel latency").
 */
public final class Grace {
    /** How long a job runs before its busy indication appears. */
    public static final long DELAY_MS = 400;

    // a timer thread rather than a PauseTransition: a running animation makes JavaFX pulse every frame
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "atelier-grace");
        t.setDaemon(true);
        return t;
    });

    private Grace() {
    }

    /** Runs {@code r} on the FX thread {@link #DELAY_MS} from now (it must check that it is still wanted). */
    public static void later(Runnable r) {
        TIMER.schedule(() -> Platform.runLater(r), DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * @param source a flag changed on the FX thread, e.g. "a job is running"
     * @return a flag that turns true {@link #DELAY_MS} after {@code source} turned true (if it is still true then)
     *     and false as soon as {@code source} turns false
     */
    public static ReadOnlyBooleanProperty shown(ObservableBooleanValue source) {
        ReadOnlyBooleanWrapper shown = new ReadOnlyBooleanWrapper(false);
        int[] generation = {0};
        Runnable follow = () -> {
            int g = ++generation[0];
            if (!source.get()) {
                shown.set(false);
            } else if (!shown.get()) {
                later(() -> shown.set(shown.get() || g == generation[0]));
            }
        };
        source.addListener((o, was, now) -> follow.run());
        follow.run();
        return shown.getReadOnlyProperty();
    }
}
