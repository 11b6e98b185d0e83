package dev.atelier.runtime;

/**
 * Callbacks of one job, all run on the executor given at submission (the UI passes
 * {@code Platform::runLater}). Exactly one of success, failure or cancelled is called, last.
 *
 * @param <T> the job's result
 */
public interface JobListener<T> {
    /** The job started on the worker thread. */
    default void onStarted() {
    }

    /** @see JobContext#progress(double, String) */
    default void onProgress(double fraction, String message) {
    }

    /** @see JobContext#partial(Object) */
    default void onPartial(Object value) {
    }

    /** The job finished with {@code result}. */
    default void onSuccess(T result) {
    }

    /**
     * The job threw.
     *
     * @param message a readable one-paragraph message
     * @param error the original error, for a details view
     */
    default void onFailure(String message, Throwable error) {
    }

    /** The job was cancelled while queued, replaced by a newer job of its kind, or stopped at a step. */
    default void onCancelled() {
    }
}
