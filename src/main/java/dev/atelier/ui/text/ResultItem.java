package dev.atelier.ui.text;

import java.util.List;

/**
 * One output of a run as the results list shows it: the text cut into segments at constraint-span boundaries.
 *
 * @param prompt the prompt (0-based)
 * @param rank 0 = best of that prompt
 * @param text the whole text (prompt included), what Copy copies
 * @param tokens the token ids (prompt, then generated)
 * @param segments the text in order; concatenated they give {@code text}
 * @param score the score, may be −∞
 * @param satisfied every constraint met and no banned phrase
 * @param spans the matched span of every satisfied constraint
 */
public record ResultItem(int prompt, int rank, String text, int[] tokens, List<Segment> segments, double score,
        boolean satisfied, List<Span> spans) {
    /**
     * A run of text between span boundaries.
     *
     * @param text its text
     * @param start first token index
     * @param end token index after the last
     * @param constraints the constraints whose spans cover it, lowest number first (empty: plain text)
     * @param colour the chip colour of the first of them, or −1
     * @param label how those constraints were written, for the tooltip (empty if none)
     */
    public record Segment(String text, int start, int end, List<Integer> constraints, int colour, String label) {
    }

    /**
     * Where a constraint matched.
     *
     * @param constraint its number in the prompt's set
     * @param start first token index
     * @param end token index after the last
     */
    public record Span(int constraint, int start, int end) {
    }
}
