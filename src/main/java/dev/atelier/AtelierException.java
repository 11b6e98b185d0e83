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
     * @param e an exception from a library
     * @return what went wrong in words, without the exception's class name (which means nothing to a user): the
     *     reason a file-system error gives, or the first line of the message
     */
    public static String reason(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "it does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "the text is not UTF-8";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e instanceof OutOfMemoryError ? "out of memory" : "no further detail";
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    /**
     * @param e a JSON parse error
     * @return where and why the JSON is broken ("line 2, column 35: Unexpected end-of-input …"), without the
     *     parser's internal source descriptions, for a message that tells the user what to fix
     */
    public static String jsonProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Trailing token")) {
            original = "a second JSON value follows the first; the file must hold exactly one JSON document";
        } else if (original.startsWith("Duplicate field")) {
            original = original.replace("Duplicate field", "the key") + " is given twice; give each key once";
        }
        String why = original
                .replaceAll("(?s)\\s*\\(start marker at \\[Source:.*", "")
                .replaceAll("(?s)\\s*at \\[Source:.*", "")
                .replaceAll("\\s+", " ").trim();
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return at == null ? why : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + why;
    }
}
