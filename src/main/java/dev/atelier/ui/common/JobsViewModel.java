package dev.atelier.ui.common;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.runtime.Job;
import dev.atelier.runtime.JobHandle;
import dev.atelier.runtime.JobListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The studio's side of the inference lane: panels submit jobs here, and the job area (progress bar,
 * message, Cancel) binds to these properties. All callbacks arrive on the FX thread; nothing here ever
 * waits for the lane.
 */
public final class JobsViewModel {
    private final InferenceLane lane;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty message = new SimpleStringProperty("Ready");
    private final List<JobHandle<?>> active = new ArrayList<>();
    private BiConsumer<String, Throwable> failureSink = (m, t) -> { };

    /** @param lane the lane every job runs on */
    public JobsViewModel(InferenceLane lane) {
        this.lane = lane;
    }

    /** Where failures are shown (the window's notification bar); called on the FX thread. */
    public void setFailureSink(BiConsumer<String, Throwable> sink) {
        this.failureSink = sink;
    }

    /**
     * Submits a job; the job area follows it while it runs.
     *
     * @param kind latest-wins key (a newer queued job of this kind replaces an older queued one)
     * @param title shown while the job waits or starts
     * @param job the work, run on the lane thread
     * @param onPartial previews, on the FX thread (may be null)
     * @param onSuccess the result, on the FX thread (may be null)
     * @return the handle
     */
    public <T> JobHandle<T> submit(String kind, String title, Job<T> job, Consumer<Object> onPartial,
            Consumer<T> onSuccess) {
        Holder<T> holder = new Holder<>();
        JobHandle<T> handle = lane.submit(kind, job, Platform::runLater, new JobListener<>() {
            @Override
            public void onStarted() {
                progress.set(-1);
                message.set(title);
            }

            @Override
            public void onProgress(double fraction, String text) {
                progress.set(fraction);
                message.set(text);
            }

            @Override
            public void onPartial(Object value) {
                if (onPartial != null) {
                    onPartial.accept(value);
                }
            }

            @Override
            public void onSuccess(T result) {
                finish(holder.handle, "Done: " + title);
                if (onSuccess != null) {
                    onSuccess.accept(result);
                }
            }

            @Override
            public void onFailure(String text, Throwable error) {
                finish(holder.handle, "Failed: " + title);
                failureSink.accept(text, error);
            }

            @Override
            public void onCancelled() {
                finish(holder.handle, "Cancelled: " + title);
            }
        });
        holder.handle = handle;
        active.add(handle);
        busy.set(true);
        return handle;
    }

    /** Cancels every job this view model submitted that has not finished (Esc and the Cancel button). */
    public void cancelAll() {
        for (JobHandle<?> h : List.copyOf(active)) {
            h.cancel();
        }
    }

    private void finish(JobHandle<?> handle, String text) {
        active.remove(handle);
        if (active.isEmpty()) {
            busy.set(false);
            progress.set(0);
            message.set(text);
        }
    }

    /** @return true while any submitted job is queued or running */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** @return the running job's progress, −1 for indeterminate */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** @return the running job's message, or the last outcome */
    public StringProperty messageProperty() {
        return message;
    }

    private static final class Holder<T> {
        JobHandle<T> handle;
    }
}
