package dev.atelier.consistency;

import dev.atelier.AtelierException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The zero-shot edits of {@code atelier edit --task …}. */
public enum EditTask {
    /** regenerate the mask's white pixels, keep the others bit-exact */
    INPAINT,
    /** keep the luminance, generate the chroma (RGB models) */
    COLORIZE,
    /** keep each p×p patch's mean, generate the detail */
    SUPERRES,
    /** one evaluation f(y, σ) of an image carrying noise of level σ */
    DENOISE,
    /** SDEdit: noise a rough stroke painting to σ_1 and sample from there (5.38 then 2.24 by default) */
    STROKE,
    /** frames between the samples of two seeds, by spherical interpolation of their noise */
    INTERPOLATE;

    /** @return the command-line name, e.g. "inpaint" */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the task named {@code id} */
    public static EditTask of(String id) {
        for (EditTask t : values()) {
            if (t.id().equalsIgnoreCase(id)) {
                return t;
            }
        }
        throw new AtelierException("Unknown edit task \"" + id + "\". Use one of " + Arrays.stream(values())
                .map(EditTask::id).collect(Collectors.joining(", ")) + ".");
    }

    /** @return true if the task edits an input image (all but interpolate) */
    public boolean needsImage() {
        return this != INTERPOLATE;
    }
}
