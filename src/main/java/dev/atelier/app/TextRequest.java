package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.ConstraintSpec;
import java.util.List;

/**
 * What the user asks of constrained beam search: a form binds to it, the command line builds it from its options.
 * The search settings (beams, lengths, mode) are validated by {@link BeamSearchConfig}; constraints are tokenised
 * and checked against the model when the job runs (errors name {@code constraint[i]} or {@code prompt[i]}).
 *
 * @param model a shipped name, a language-model directory or a bigram .json file
 * @param prompts each prompt with its own constraints, numbered 0, 1, 2, … in list order
 * @param search beam settings and mode
 */
public record TextRequest(String model, List<ConstraintSpec.PromptSpec> prompts, BeamSearchConfig search) {
    /** @throws AtelierException naming the missing field */
    public TextRequest {
        if (model == null || model.isBlank()) {
            throw AtelierException.field("model", "Choose a {model}: a language model or a bigram .json file.");
        }
        if (prompts == null || prompts.isEmpty()) {
            throw AtelierException.field("prompt", "Give at least one {prompt} (or {constraints} FILE.json).");
        }
        prompts = List.copyOf(prompts);
        search = search == null ? BeamSearchConfig.defaults() : search;
    }

    /**
     * @return one request for several prompts that share the same constraints
     */
    public static TextRequest sharedConstraints(String model, List<String> prompts, List<ConstraintSpec> constraints,
            BeamSearchConfig search) {
        return new TextRequest(model, prompts.stream().map(p -> new ConstraintSpec.PromptSpec(p,
                List.copyOf(constraints))).toList(), search);
    }
}
