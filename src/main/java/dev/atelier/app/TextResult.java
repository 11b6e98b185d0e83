package dev.atelier.app;

import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.TextOutput;
import java.util.List;

/**
 * The outputs of a beam search, decoded, with what ran.
 *
 * @param model the model's display name
 * @param request what was asked
 * @param outputs ordered by prompt, then rank
 * @param seconds time spent in the search
 */
public record TextResult(String model, TextRequest request, List<Output> outputs, double seconds) {
    /**
     * One output sequence.
     *
     * @param output tokens, score, satisfied flag and constraint spans
     * @param text the whole sequence decoded, prompt included
     * @param matchTexts the decoded tokens of each span in {@code output.matches()}, in the same order
     */
    public record Output(TextOutput output, String text, List<String> matchTexts) {
    }

    /** @return the constraints of prompt {@code i} */
    public List<ConstraintSpec> constraints(int i) {
        return request.prompts().get(i).constraints();
    }
}
