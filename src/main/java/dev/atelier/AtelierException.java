package dev.atelier;

import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure the user can act on: the message names the problem and the fix, in one paragraph.
 * The CLI prints it without a stack trace (exit code 1); the UI shows it in a notification.
 *
 * <p>An error about one input of a request carries a {@link #field() field key} (e.g. {@code steps},
 * {@code mask}, {@code constraint[2]}): the studio highlights that control, the command line names its flag.
 * Such a message refers to inputs as {@code {key}} placeholders; {@link #message(UnaryOperator)} fills them
 * with each front end's names (the CLI's flags, the studio's labels), and {@link #getMessage()} with plain
 * words. Messages never spell a command-line flag outside {@code cli/}.
 */
public class AtelierException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][A-Za-z]*)\\}");

    private final String field;
    private final boolean templated;

    /** @param message what went wrong and what to do about it */
    public AtelierException(String message) {
        this(message, (Throwable) null);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, shown only with {@code --verbose} or in the details dialog
     */
    public AtelierException(String message, Throwable cause) {
        super(message, cause);
        this.field = null;
        this.templated = false;
    }

    private AtelierException(String field, String message, Throwable cause, boolean templated) {
        super(message, cause);
        this.field = field;
        this.templated = templated;
    }

    /**
     * An error in one input of a request.
     *
     * @param field the input's key (a request component name, e.g. {@code steps}, or {@code constraint[2]})
     * @param template the message; {@code {key}} names an input (e.g. "{steps} 70 is out of range")
     */
    public static AtelierException field(String field, String template) {
        return new AtelierException(field, template, null, true);
    }

    /** As {@link #field(String, String)}, with the underlying error. */
    public static AtelierException field(String field, String template, Throwable cause) {
        return new AtelierException(field, template, cause, true);
    }

    /**
     * Attaches a field key to an error whose message is final (it may quote user text with braces).
     *
     * @param field the input's key
     * @param e the error; returned as it is if it already names a field
     */
    public static AtelierException about(String field, AtelierException e) {
        return e.field != null ? e : new AtelierException(field, e.raw(), e, e.templated);
    }

    /**
     * @param prefix words that place the error (e.g. "Constraint 2 (any): ")
     * @return this error with {@code prefix} before its message, keeping its field and placeholders
     */
    public AtelierException prefixed(String prefix) {
        return new AtelierException(field, prefix + raw(), this, templated);
    }

    private String raw() {
        return super.getMessage();
    }

    /** @return the key of the input at fault, or null when the error is not about one input */
    public String field() {
        return field;
    }

    /**
     * @param names the front end's name for each input key (a flag, a label)
     * @return the message with each {@code {key}} replaced by {@code names.apply(key)}
     */
    public String message(UnaryOperator<String> names) {
        String m = raw();
        if (!templated || m == null) {
            return m;
        }
        Matcher k = PLACEHOLDER.matcher(m);
        StringBuilder out = new StringBuilder();
        while (k.find()) {
            k.appendReplacement(out, Matcher.quoteReplacement(names.apply(k.group(1))));
        }
        k.appendTail(out);
        return out.toString();
    }

    /** @return the message with inputs named in plain words ("max new tokens" for {@code maxNewTokens}) */
    @Override
    public String getMessage() {
        return message(AtelierException::words);
    }

    /** @return a key in words: {@code maxNewTokens} → "max new tokens" */
    public static String words(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    /**
     * @param text user text to quote in a message (a phrase of 10,000 tokens must not make a 60 KB message)
     * @param max the most characters kept
     * @return {@code text}, or its first {@code max} characters, "…" and its length
     */
    public static String excerpt(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… (" + text.length() + " characters)";
    }

    /**
     * @param text a file name as the user gave it
     * @param e why Java cannot turn it into a path
     * @return advice for a name the locale cannot represent (Java decodes file names with the locale's charset,
     *     so under the C/POSIX locale every non-ASCII name fails) or one with a NUL character
     */
    public static String unusablePath(String text, java.nio.file.InvalidPathException e) {
        String name = text != null ? text : e.getInput();
        return "The file name \"" + excerpt(name, 200) + "\" cannot be used here: it " + (name != null
                && name.indexOf('\0') >= 0 ? "contains a NUL character" : "has characters the current locale ("
                + System.getProperty("sun.jnu.encoding") + ") cannot represent; run under a UTF-8 locale, e.g. "
                + "LC_ALL=C.UTF-8") + ".";
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
        if (e instanceof java.io.EOFException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "the file ends early: it is empty or cut short";
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
        String[] lines = m.strip().split("\n");
        if (lines[0].contains("TorchScript interpreter")) {
            // the interpreter's trace hides the model's own error on its last "...Error: ..." line: quote that
            for (int i = lines.length - 1; i > 0; i--) {
                if (lines[i].strip().matches("[\\w.]*(Error|Exception): .*")) {
                    return lines[i].strip();
                }
            }
        }
        return lines[0].trim();
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
