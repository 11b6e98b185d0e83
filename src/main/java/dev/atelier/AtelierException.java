package dev.atelier;

/**
 * A failure the user can act on: the message names the problem and the fix, in one paragraph.
 * The CLI prints it without a stack trace (exit code 1); the UI shows it in a notification.
 */
public class AtelierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and what to do about it */
    public AtelierException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, shown only with {@code --verbose} or in the details dialog
     */
    public AtelierException(String message, Throwable cause) {
        super(message, cause);
    }
}
