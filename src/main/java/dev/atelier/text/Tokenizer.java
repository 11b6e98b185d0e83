package dev.atelier.text;

/**
 * Turns text into the token ids of one {@link LanguageModel} and back. Errors (a word the vocabulary lacks, an
 * empty text) are {@link dev.atelier.AtelierException}s that name the offending text.
 */
public interface Tokenizer {
    /**
     * Encodes a prompt: the text as it starts a document (no BOS is added; the model's convention decides).
     *
     * @param text the prompt, not blank
     * @return its token ids, at least one
     */
    int[] encodePrompt(String text);

    /**
     * Encodes a phrase as it appears in the middle of a text, the form constraints are matched in: for a
     * word-level model the words split on whitespace, for a GPT-2-style BPE model the phrase with a leading
     * space.
     *
     * @param phrase the phrase, not blank
     * @return its token ids, at least one
     */
    int[] encodePhrase(String phrase);

    /**
     * Decodes ids to text, special tokens included (e.g. {@code <eos>}).
     *
     * @param ids token ids
     * @return the text
     */
    String decode(int[] ids);

    /**
     * For token healing: the ids whose text starts with the text of {@code token} (the token itself included), so
     * that a prompt's last token can be re-chosen without changing the prompt text. A tokenizer whose tokens are
     * whole words returns just the token (nothing to heal).
     *
     * @param token a token id of the vocabulary
     * @return the ids, ascending, containing {@code token}
     */
    default int[] tokensExtending(int token) {
        return new int[] {token};
    }
}
