package dev.atelier.ui.text;

import java.util.List;

/**
 * What the bank view draws for one prompt after one search step: the beams with their generated tokens, the
 * tokens that advanced a constraint, the bank and how many constraints each beam has met.
 *
 * @param prompt the prompt (0-based)
 * @param step generated tokens so far
 * @param maxSteps the most tokens that may be generated
 * @param beams the beams, best first as the search keeps them
 * @param chipColours the chip colour of each constraint number of this prompt
 * @param constraintCount required constraints of this prompt
 */
public record BankStep(int prompt, int step, int maxSteps, List<Beam> beams, int[] chipColours,
        int constraintCount) {
    /**
     * One beam.
     *
     * @param pieces its generated tokens as text, one per token
     * @param advancedBy per generated token: the constraint number it advanced, or −1
     * @param met constraints completed
     * @param bank the search's bank (constraints met and progress on the next)
     * @param score the beam's score (summed log-probabilities over length^penalty)
     * @param text the whole sequence decoded
     * @param constraints the numbers of the required constraints, in order
     * @param matched per required constraint: tokens of it matched so far
     * @param metFlags per required constraint: whether it is met
     */
    public record Beam(List<String> pieces, int[] advancedBy, int met, int bank, double score, String text,
            List<Integer> constraints, List<Integer> matched, List<Boolean> metFlags) {
    }
}
