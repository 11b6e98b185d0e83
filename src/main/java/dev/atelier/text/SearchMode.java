package dev.atelier.text;

/** How constrained beam search behaves. */
public enum SearchMode {
    /**
     * Atelier's search: only generated tokens count, broken partial matches are re-examined, EOS waits until every
     * constraint is satisfied, −∞ candidates never enter a beam, outputs carry {@code satisfied} and spans.
     */
    STRICT,
    /** Reproduces Hugging Face transformers 4.57 beam search and constrained beam search exactly. */
    HF
}
