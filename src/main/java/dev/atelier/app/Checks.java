package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SigmaSchedule;

/** The range checks the request records share, each with its field key and one wording. */
final class Checks {
    /** The most images one job makes. */
    static final int MAX_COUNT = GenerationRequest.MAX_COUNT;

    private Checks() {
    }

    static void count(String field, int count) {
        // the same range as GenerationRequest.check, named by the form's field (count or frames)
        if (count < 1 || count > MAX_COUNT) {
            throw AtelierException.field(field, "{" + field + "} " + count + " is out of range: give 1 to "
                    + MAX_COUNT + ".");
        }
    }

    static void steps(Integer steps) {
        SigmaSchedule.checkSteps(steps);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
