package dev.atelier.text;

import java.util.Locale;

/** When beam search stops, as Hugging Face's {@code early_stopping}. */
public enum EarlyStopping {
    /** Stop as soon as there are {@code num_beams} finished hypotheses. */
    TRUE,
    /** Stop when the best running beam, scored at its current length, cannot beat the worst finished one. */
    FALSE,
    /** Stop only when no running beam can beat the worst finished one at any length. */
    NEVER;

    /**
     * @param s "true", "false" or "never" (any case)
     * @return the value
     * @throws IllegalArgumentException otherwise
     */
    public static EarlyStopping parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return TRUE;
            case "false":
                return FALSE;
            case "never":
                return NEVER;
            default:
                throw new IllegalArgumentException("expected true, false or never, not \"" + s + "\"");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
