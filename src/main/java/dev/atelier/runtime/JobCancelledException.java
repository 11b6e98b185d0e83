package dev.atelier.runtime;

/** Thrown inside a job at a step boundary after it was cancelled; the lane reports it as "cancelled". */
public final class JobCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; it carries no message because cancellation is not an error. */
    public JobCancelledException() {
        super("cancelled", null, false, false);
    }
}
