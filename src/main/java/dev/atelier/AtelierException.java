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

    /**
     * @param e a JSON parse error
     * @return where and why the JSON is broken ("line 2, column 35: Unexpected end-of-input …"), without the
     *     parser's internal source descriptions, for a message that tells the user what to fix
     */
    public static String jsonProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
        String why = String.valueOf(e.getOriginalMessage())
                .replaceAll("(?s)\\s*\\(start marker at \\[Source:.*", "")
                .replaceAll("(?s)\\s*at \\[Source:.*", "")
                .replaceAll("\\s+", " ").trim();
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return at == null ? why : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + why;
    }
}
