package dev.atelier.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * A submitted job: cancel it, or wait for it (never from the FX thread).
 *
 * @param <T> the result
 */
public interface JobHandle<T> {
    /** @return who submitted the job */
    JobOwner owner();

    /** @return the job kind; a newer queued job of the same owner and kind replaces this one */
    JobKind kind();

    /** Asks the job to stop: removed if still queued, stopped at its next step boundary if running. */
    void cancel();

    /** @return completes with the result, or exceptionally with the failure or a {@link JobCancelledException} */
    CompletableFuture<T> result();
}
