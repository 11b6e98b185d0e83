package dev.atelier.ui;

import dev.atelier.runtime.JobKind;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.beans.value.ObservableValue;
import org.testfx.api.FxRobot;

/**
 * Holds the studio's lane with a job of the studio's own until closed, so that a panel's job waits queued (its panel
 * busy) for as long as a test likes: the panels' tests of the busy indications' grace use it for short and long jobs.
 */
public final class LaneHold implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);

    /** Submits the holding job and waits until it runs. */
    public LaneHold(FxRobot robot, StudioWindow window) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        robot.interact(() -> window.jobs().submit(JobKind.OTHER, "Holding the lane", ctx -> {
            started.countDown();
            release.await(120, TimeUnit.SECONDS);
            return 0;
        }, null, null));
        if (!started.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the lane never started the holding job");
        }
    }

    /** Adds "{@code name} {@code new value}" to {@code seen} whenever {@code value} changes (call on the FX thread). */
    public static void record(List<String> seen, String name, ObservableValue<?> value) {
        value.addListener((o, was, now) -> seen.add(name + " " + now));
    }

    @Override
    public void close() {
        release.countDown();
    }
}
