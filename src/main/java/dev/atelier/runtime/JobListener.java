package dev.atelier.runtime;

/**
 * Callbacks of one job, all run on the executor given at submission (the UI passes
 * {@code Platform::runLater}). Exactly one of success, failure or cancelled is called, last.
 *
 * @param <T> the job's result
 * @param <P> the job's partial results
 */
public interface JobListener<T, P> {
    /** The job started on the worker thread. */
    default void onStarted() {
    }

    /** @see JobContext#progress(double, String) */
    default void onProgress(double fraction, String message) {
    }

    /** @see JobContext#partial(Object) */
    default void onPartial(P value) {
    }

    /** The job finished with {@code result}. */
    default void onSuccess(T result) {
    }

    /**
     * The job threw.
     *
     * @param message a readable one-paragraph message
     * @param error the original error, for a details view (an {@link dev.atelier.AtelierException} with a
     *     {@link dev.atelier.AtelierException#field() field} names the input at fault)
     */
    default void onFailure(String message, Throwable error) {
    }

    /** The job was cancelled while queued, replaced by a newer job of its owner and kind, or stopped at a step. */
    default void onCancelled() {
    }
}
