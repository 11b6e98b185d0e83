package dev.atelier.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
 * @param guidable true for a class-conditional consistency model that also knows "no class" (Atelier's own network,
 *     or a TorchScript one whose manifest says {@code "null_class": true}): only those can be class-guided
 * @param guidance the manifest's default class-guidance weight of sampling, 0 when it gives none
 * @param editGuidance edit task id → the manifest's default class-guidance weight ({@code edit_schedules}); tasks
 *     without one are absent
 */
public record ModelDescription(String name, Path path, String kind, String title, int size, int channels,
        List<String> classes, int defaultSteps, int maxSteps, String tokenizer, int context, String licence,
        boolean guidable, double guidance, Map<String, Double> editGuidance) {
    /** Consistency models. */
    public static final String CONSISTENCY = "consistency";
    /** Language models (and bigram files). */
    public static final String LANGUAGE = "language";

    /** A description without guidance (language models, bigram files). */
    public ModelDescription(String name, Path path, String kind, String title, int size, int channels,
            List<String> classes, int defaultSteps, int maxSteps, String tokenizer, int context, String licence) {
        this(name, path, kind, title, size, channels, classes, defaultSteps, maxSteps, tokenizer, context, licence,
                false, 0, Map.of());
    }

    /** Copies the lists. */
    public ModelDescription {
        classes = List.copyOf(classes);
        editGuidance = Map.copyOf(editGuidance);
    }

    /** @return true for a class-conditional consistency model */
    public boolean conditional() {
        return !classes.isEmpty();
    }

    /** @return the manifest's default class-guidance weight of an edit task, 0 when it gives none */
    public double editGuidance(dev.atelier.consistency.EditTask task) {
        return editGuidance.getOrDefault(task.id(), 0.0);
    }

    /** @return why this model cannot be class-guided, for a disabled control's tooltip; null if it can */
    public String unguidableReason() {
        if (guidable) {
            return null;
        }
        return classes.isEmpty() ? "This model has no classes, so there is nothing to guide towards."
                : "This model was not trained with a \"no class\" label (label dropout), which guidance compares "
                + "against. A TorchScript model that has one says \"null_class\": true in its manifest.json.";
    }
}
