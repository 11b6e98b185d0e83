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
 */
public final class StatusViewModel {
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty message = new SimpleStringProperty("Ready");
    private final List<Object> active = new ArrayList<>();

    void started(Object job, String title) {
        active.remove(job);
        active.add(job);
        busy.set(true);
        progress.set(-1);
        message.set(title);
    }

    void progress(Object job, double fraction, String text) {
        if (!active.isEmpty() && active.get(active.size() - 1) == job) {
            progress.set(fraction);
            message.set(text);
        }
    }

    void finished(Object job, String text) {
        active.remove(job);
        if (active.isEmpty()) {
            busy.set(false);
            progress.set(0);
            message.set(text);
        }
    }

    /** @return true while any job of any owner is queued or running */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
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
