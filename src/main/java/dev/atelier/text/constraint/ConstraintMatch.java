package dev.atelier.text.constraint;

/**
 * Where a satisfied constraint matched.
 *
 * @param constraint the constraint's number in its set (command-line order, all kinds counted)
 * @param start index of the first matched token in the output's tokens
 * @param end index after the last matched token (exclusive)
 */
public record ConstraintMatch(int constraint, int start, int end) {
}
