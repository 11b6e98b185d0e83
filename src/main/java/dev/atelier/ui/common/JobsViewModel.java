package dev.atelier.ui.common;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.runtime.Job;
import dev.atelier.runtime.JobHandle;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.JobListener;
import dev.atelier.runtime.JobOwner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
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
 * One owner's jobs (a panel, or the studio itself): the owner submits through here, and its busy state, progress,
 * failures and Esc belong to it alone; the window's {@link StatusViewModel} shows every owner's. All callbacks
 * arrive on the FX thread; nothing here ever waits for the lane.
 *
 * <p>A panel's ViewModel submits a service request like this:
 * <pre>{@code
 * jobs.submit("Sampling", (owner, fx, listener) -> services.sampling().submit(owner, request, fx, listener),
 *         progress -> showPreview(progress), result -> showResult(result));
 * }</pre>
 */
public final class JobsViewModel {
    private final InferenceLane lane;
    private final JobOwner owner;
    private final StatusViewModel status;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty message = new SimpleStringProperty("Ready");
    private final List<JobHandle<?>> active = new ArrayList<>();
    private BiConsumer<String, Throwable> failureSink = (m, t) -> { };

    /** Submits one job for an owner: a service's {@code submit} (or the lane's) with the owner filled in. */
    @FunctionalInterface
    public interface Submitter<T, P> {
        /**
         * @param owner the owner of this view model
         * @param callbacks the FX thread
         * @param listener forwards to this view model
         * @return the handle
         */
        JobHandle<T> submit(JobOwner owner, Executor callbacks, JobListener<T, P> listener);
    }

    /**
     * @param lane the lane every job runs on (for cancelling)
     * @param owner whose jobs these are
     * @param status the window's status bar, told about every job
     */
    public JobsViewModel(InferenceLane lane, JobOwner owner, StatusViewModel status) {
        this.lane = lane;
        this.owner = owner;
        this.status = status;
    }

    /** @return whose jobs these are */
    public JobOwner owner() {
        return owner;
    }

    /**
     * Where this owner's failures are shown (by default the window's notification bar); called on the FX thread
     * with the readable message and the error (an {@link dev.atelier.AtelierException} with a field key names the
     * control to highlight).
     */
    public void setFailureSink(BiConsumer<String, Throwable> sink) {
        this.failureSink = sink;
    }

    /**
     * Submits a job; this owner's properties and the status bar follow it while it runs.
     *
     * @param title shown while the job waits or starts
     * @param submitter submits it (e.g. a service's {@code submit})
     * @param onPartial typed partial results, on the FX thread (may be null)
     * @param onSuccess the result, on the FX thread (may be null)
     * @return the handle
     */
    public <T, P> JobHandle<T> submit(String title, Submitter<T, P> submitter, Consumer<P> onPartial,
            Consumer<T> onSuccess) {
        return submit(title, "Done: " + finished(title), submitter, onPartial, onSuccess);
    }

    /**
     * Submits a job whose success reads better said its own way than "Done: " + title (the model loaded at
     * start-up: "Loaded model fashion-mnist" rather than "Done: Loading model fashion-mnist").
     *
     * @param done shown once the job succeeded; a failure or a cancel still reads "Failed: " / "Cancelled: " + title
     * @see #submit(String, Submitter, Consumer, Consumer)
     */
    public <T, P> JobHandle<T> submit(String title, String done, Submitter<T, P> submitter, Consumer<P> onPartial,
            Consumer<T> onSuccess) {
        Holder<T> holder = new Holder<>();
        JobHandle<T> handle = submitter.submit(owner, Platform::runLater, new JobListener<>() {
            @Override
            public void onStarted() {
                progress.set(-1);
                message.set(title);
                status.started(holder, title);
            }

            @Override
            public void onProgress(double fraction, String text) {
                progress.set(fraction);
                message.set(text);
                status.progress(holder, fraction, text);
            }

            @Override
            public void onPartial(P value) {
                if (onPartial != null) {
                    onPartial.accept(value);
                }
            }

            @Override
            public void onSuccess(T result) {
                finish(holder, done);
                if (onSuccess != null) {
                    onSuccess.accept(result);
                }
            }

            @Override
            public void onFailure(String text, Throwable error) {
                finish(holder, "Failed: " + finished(title));
                failureSink.accept(text, error);
            }

            @Override
            public void onCancelled() {
                finish(holder, "Cancelled: " + finished(title));
            }
        });
        holder.handle = handle;
        active.add(handle);
        busy.set(true);
        return handle;
    }

    /**
     * Submits a plain lane job (no service), e.g. the engine start-up.
     *
     * @see #submit(String, Submitter, Consumer, Consumer)
     */
    public <T, P> JobHandle<T> submit(JobKind kind, String title, Job<T, P> job, Consumer<P> onPartial,
            Consumer<T> onSuccess) {
        return submit(title, (o, fx, l) -> lane.submit(o, kind, job, fx, l), onPartial, onSuccess);
    }

    /** Cancels this owner's running and queued jobs (Esc in its panel); other owners' jobs go on. */
    public void cancel() {
        lane.cancel(owner);
        for (JobHandle<?> h : List.copyOf(active)) {
            h.cancel();
        }
    }

    /** @return a job's title without the "…" it has while it runs ("Sampling 16 images…" → "Sampling 16 images") */
    private static String finished(String title) {
        return title.endsWith("…") ? title.substring(0, title.length() - 1) : title;
    }

    private void finish(Holder<?> holder, String text) {
        active.remove(holder.handle);
        status.finished(holder, text);
        if (active.isEmpty()) {
            busy.set(false);
            progress.set(0);
            message.set(text);
        }
    }

    /** @return true while a job of this owner is queued or running */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** @return this owner's running job's progress, −1 for indeterminate */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** @return this owner's running job's message, or its last outcome */
    public StringProperty messageProperty() {
        return message;
    }

    private static final class Holder<T> {
        JobHandle<T> handle;
    }
}
