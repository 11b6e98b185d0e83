package dev.atelier.runtime;

/** What a running {@link Job} sees of the lane: progress, previews and cancellation. */
public interface JobContext {
    /**
     * Reports progress. Calls may be coalesced: a listener sees the latest value, not every one.
     *
     * @param fraction 0…1, or a negative number for "indeterminate"
     * @param message a short line for the status area
     */
    void progress(double fraction, String message);

    /** Hands a partial result (e.g. a preview image) to the listener. */
    void partial(Object value);

    /** @return true once someone asked this job to stop */
    boolean isCancelled();

    /** Throws {@link JobCancelledException} if someone asked this job to stop; call it between steps. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new JobCancelledException();
        }
    }

    /** A context for code run outside the lane (tests, one-shot CLI calls): never cancelled, reports nowhere. */
    JobContext NONE = new JobContext() {
        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public void partial(Object value) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };
}
