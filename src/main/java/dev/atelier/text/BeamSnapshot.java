package dev.atelier.text;

import java.util.List;
import java.util.function.Function;

/**
 * The state of a strict beam search after one step, for every prompt: the live beams with their tokens, score,
 * bank and per-constraint progress. The Text panel draws its live bank view from these.
 *
 * @param step generated tokens so far (1 after the first step)
 * @param maxSteps the most tokens that may be generated
 * @param prompts one entry per prompt, in prompt order
 */
public record BeamSnapshot(int step, int maxSteps, List<Prompt> prompts) {
    /**
     * @param prompt index of the prompt
     * @param done whether its search has finished (its beams are then the last live ones)
     * @param finished finished sequences kept so far
     * @param beams the live beams, in rank order
     */
    public record Prompt(int prompt, boolean done, int finished, List<Beam> beams) {
    }

    /**
     * @param tokens the prompt's ids then the generated ids
     * @param promptLength how many of {@code tokens} are the prompt
     * @param score summed log-probability / (generated length)^length_penalty
     * @param bank completed constraints · max length + the best partial progress (the first ranking key)
     * @param satisfied every required constraint met and no banned phrase
     * @param constraints progress of each required constraint, by constraint number
     * @param text the decoded sequence, or null when the engine has no tokenizer at hand
     */
    public record Beam(int[] tokens, int promptLength, double score, int bank, boolean satisfied,
            List<Progress> constraints, String text) {
    }

    /**
     * @param constraint the constraint's number (its place among all constraints of the prompt)
     * @param matched tokens of it matched so far (its length once met)
     * @param length tokens it needs in all
     * @param met whether it is complete
     */
    public record Progress(int constraint, int matched, int length, boolean met) {
    }

    /** @return this snapshot with each beam's text decoded by {@code decode} */
    public BeamSnapshot withTexts(Function<int[], String> decode) {
        return new BeamSnapshot(step, maxSteps, prompts.stream().map(p -> new Prompt(p.prompt, p.done, p.finished,
                p.beams.stream().map(b -> new Beam(b.tokens, b.promptLength, b.score, b.bank, b.satisfied,
                        b.constraints, decode.apply(b.tokens))).toList())).toList());
    }
}
