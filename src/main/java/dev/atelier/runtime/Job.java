package dev.atelier.runtime;

/**
 * Work that runs on the inference lane's worker thread, the only thread that touches DJL models.
 *
 * @param <T> the result
 * @param <P> the type of its partial results (e.g. a preview), {@code Void} when it has none
 */
@FunctionalInterface
public interface Job<T, P> {
    /**
     * Does the work. Long jobs call {@link JobContext#checkCancelled()} between steps and report
     * progress through {@code ctx}.
     *
     * @param ctx progress, partial results, cancellation and the lane's model cache for this run
     * @return the result handed to {@link JobListener#onSuccess}
     */
    T run(JobContext<P> ctx) throws Exception;
}
