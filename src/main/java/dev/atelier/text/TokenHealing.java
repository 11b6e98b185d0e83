package dev.atelier.text;

/**
 * Token healing of the prompt boundary. A prompt is tokenised as if it ended there, so its last token is often
 * a whole-word piece that in running text is the start of a longer token ("The child" ends in " child", after
 * which the model expects "hood"). Healing backs up that token and lets the first generated token be any token
 * whose text starts with the removed text ({@link Tokenizer#tokensExtending}): " child", " children",
 * " childhood", … — the model chooses the split. The output text still starts with the prompt text exactly.
 *
 * <p>Only the last token is backed up, only when the prompt keeps at least one token and the tokenizer offers
 * a longer token; otherwise the plan is {@link #NONE}. The re-chosen token carries prompt text, so constraints
 * and banned phrases are matched from the token after it.
 *
 * @param prompt the prompt the search starts from (the original one without its last token)
 * @param firstTokens the allowed first generated tokens, ascending (the removed token among them)
 */
record TokenHealing(int[] prompt, int[] firstTokens) {
    /** No healing: the prompt is used as it is. */
    static final TokenHealing NONE = new TokenHealing(null, null);

    /** @return whether the prompt is healed */
    boolean active() {
        return firstTokens != null;
    }

    /**
     * @param prompt the tokenised prompt
     * @param tokenizer the model's tokenizer, or null (no healing)
     * @return the plan for this prompt
     */
    static TokenHealing plan(int[] prompt, Tokenizer tokenizer) {
        if (tokenizer == null || prompt.length < 2) {
            return NONE;
        }
        int last = prompt[prompt.length - 1];
        int[] ext = tokenizer.tokensExtending(last);
        if (ext.length < 2) {
            return NONE;
        }
        return new TokenHealing(java.util.Arrays.copyOf(prompt, prompt.length - 1), ext);
    }
}
