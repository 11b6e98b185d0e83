package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.SearchMode;
import java.util.List;

/**
 * Constraints to preview in a model's tokens (the Text panel's chips as the user types).
 *
 * @param model a shipped name, a language-model directory or a bigram .json file
 * @param sets constraint lists checked together (one prompt's constraints); a constraint alone is a set of one
 * @param mode the search mode (hf mode rejects any-of options that are prefixes of others)
 * @param maxNewTokens the length budget a constraint must fit in
 */
public record TextPreviewRequest(String model, List<List<ConstraintSpec>> sets, SearchMode mode, int maxNewTokens) {
    /** @throws AtelierException naming the missing field */
    public TextPreviewRequest {
        if (model == null || model.isBlank()) {
            throw AtelierException.field("model", "Choose a {model}: a language model or a bigram .json file.");
        }
        sets = sets.stream().map(List::copyOf).toList();
        mode = mode == null ? SearchMode.STRICT : mode;
    }
}
