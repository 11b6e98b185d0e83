package dev.atelier.runtime;

/**
 * Work that runs on the inference lane's worker thread, the only thread that touches DJL models.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface Job<T> {
    /**
     * Does the work. Long jobs call {@link JobContext#checkCancelled()} between steps and report
     * progress through {@code ctx}.
     *
     * @param ctx progress, partial results and cancellation for this run
     * @return the result handed to {@link JobListener#onSuccess}
     */
    T run(JobContext ctx) throws Exception;
}
