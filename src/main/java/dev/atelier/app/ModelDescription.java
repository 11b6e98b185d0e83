package dev.atelier.app;

import java.nio.file.Path;
import java.util.List;

/**
 * What a form needs to know about a model before any weights load, read from its manifest.
 *
 * @param name the model as the user named it (a shipped name or a path)
 * @param path the resolved file or directory
 * @param kind "consistency", "language" or "classifier"
 * @param title the manifest's display name (may be null)
 * @param size image side in pixels (consistency models; 0 otherwise)
 * @param channels 1 (gray) or 3 (RGB) (consistency models; 0 otherwise)
 * @param classes class names in index order; empty for an unconditional model
 * @param defaultSteps the model's default step count (consistency models; 0 otherwise)
 * @param maxSteps the most steps a sampler accepts (consistency models; 0 otherwise)
 * @param tokenizer the tokenizer file, or "words" for a bigram model (language models; null otherwise)
 * @param context the most tokens the model reads, or 0 when unlimited or unknown
 * @param licence the licence of the weights (may be null)
 */
public record ModelDescription(String name, Path path, String kind, String title, int size, int channels,
        List<String> classes, int defaultSteps, int maxSteps, String tokenizer, int context, String licence) {
    /** Consistency models. */
    public static final String CONSISTENCY = "consistency";
    /** Language models (and bigram files). */
    public static final String LANGUAGE = "language";

    /** @return true for a class-conditional consistency model */
    public boolean conditional() {
        return !classes.isEmpty();
    }
}
