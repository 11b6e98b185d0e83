package dev.atelier.runtime;

import java.util.Objects;

/**
 * Who submitted a job: a panel of the studio, the studio itself, or the command line. A job's failure,
 * cancellation (Esc) and busy state belong to its owner; the status bar shows every owner's jobs.
 *
 * @param id a short stable name, e.g. "sampling", "inpaint", "text", "studio", "cli"
 */
public record JobOwner(String id) {
    /** The studio window itself (engine start-up). */
    public static final JobOwner STUDIO = new JobOwner("studio");
    /** The command line. */
    public static final JobOwner CLI = new JobOwner("cli");

    /** @param id a non-blank name */
    public JobOwner {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a job owner needs a name");
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
