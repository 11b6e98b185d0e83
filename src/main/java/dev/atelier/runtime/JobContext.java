package dev.atelier.runtime;

/**
 * What a running {@link Job} sees of the lane: progress, typed partial results, cancellation and the model cache.
 *
 * @param <P> the type of partial results
 */
public interface JobContext<P> {
    /**
     * Reports progress. Calls may be coalesced: a listener sees the latest value, not every one.
     *
     * @param fraction 0…1, or a negative number for "indeterminate"
     * @param message a short line for the status area
     */
    void progress(double fraction, String message);

    /**
     * Hands a partial result (a preview, a beam snapshot) to the listener. Coalesced like progress: a listener
     * that lags behind sees the newest, so a partial must be complete on its own and never modified afterwards.
     */
    void partial(P value);

    /** @return true if someone listens to partial results (so a job can skip building them) */
    default boolean wantsPartials() {
        return true;
    }

    /** @return true once someone asked this job to stop */
    boolean isCancelled();

    /** @return the lane's cache of loaded models (lane thread only), or null outside a lane */
    default ModelCache models() {
        return null;
    }

    /** Throws {@link JobCancelledException} if someone asked this job to stop; call it between steps. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new JobCancelledException();
        }
    }

    /** @return a context for code run outside the lane (tests, tools): never cancelled, reports nowhere */
    static <P> JobContext<P> none() {
        return new JobContext<>() {
            @Override
            public void progress(double fraction, String message) {
            }

            @Override
            public void partial(P value) {
            }

            @Override
            public boolean wantsPartials() {
                return false;
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
    }
}
