package dev.atelier.runtime;

/**
 * What a lane job does. A queued job is replaced by a newer one of the same owner and kind (latest wins), so a
 * dragged slider never builds a backlog.
 */
public enum JobKind {
    /** start the engine and choose the device */
    ENGINE,
    /** sample images from a consistency model */
    SAMPLE,
    /** a zero-shot edit */
    EDIT,
    /** constrained beam search */
    TEXT,
    /** tokenise constraints as the user types them (the Text panel's chips) */
    TEXT_PREVIEW,
    /** facts about the engine or a model (atelier info) */
    INFO,
    /** anything else (tests, tools) */
    OTHER
}
