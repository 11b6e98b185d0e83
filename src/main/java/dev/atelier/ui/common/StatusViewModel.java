package dev.atelier.ui.common;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The status bar's view of every owner's jobs: busy while any runs, the progress and message of the newest
 * active one, and the last outcome when none is left. Fed by each owner's {@link JobsViewModel} on the FX thread.
 * A job shows up here only once it has run for {@link Grace#DELAY_MS} (then with its newest progress), so a short
 * job repaints nothing while it runs; its outcome is shown when it ends.
 */
public final class StatusViewModel {
    /** Whether any job of any owner runs now; {@link #busy} follows it after the grace. */
    private final ReadOnlyBooleanWrapper anyActive = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanProperty busy = Grace.shown(anyActive);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty message = new SimpleStringProperty("Ready");
    private final List<Object> active = new ArrayList<>();
    /** The newest active job's progress and message, shown once the grace has passed. */
    private double newestProgress;
    private String newestMessage;

    public StatusViewModel() {
        busy.addListener((o, was, now) -> {
            if (now) {
                publish();
            }
        });
    }

    void started(Object job, String title) {
        active.remove(job);
        active.add(job);
        newestProgress = -1;
        newestMessage = title;
        anyActive.set(true);
        if (busy.get()) {
            publish();
        }
    }

    void progress(Object job, double fraction, String text) {
        if (!active.isEmpty() && active.get(active.size() - 1) == job) {
            newestProgress = fraction;
            newestMessage = text;
            if (busy.get()) {
                publish();
            }
        }
    }

    private void publish() {
        progress.set(newestProgress);
        message.set(newestMessage);
    }

    void finished(Object job, String text) {
        active.remove(job);
        if (active.isEmpty()) {
            anyActive.set(false);
            progress.set(0);
            message.set(text);
        }
    }

    /** @return true while any job of any owner runs, from {@link Grace#DELAY_MS} after it started */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    /** @return the newest active job's progress, −1 for indeterminate */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** @return the newest active job's message, or the last outcome */
    public StringProperty messageProperty() {
        return message;
    }
}
