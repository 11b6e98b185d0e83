package dev.atelier.runtime;

import dev.atelier.AtelierException;
import dev.atelier.text.Tokenizer;

/**
 * The {@link Tokenizer} of a language-model directory: its Hugging Face tokenizer.json through
 * {@link HfTokenizer}. A prompt is encoded as it starts a text; a constraint phrase as it appears mid-text,
 * which for GPT-2-style byte-level BPE means with a leading space (manifest {@code prefix_space}, default
 * true).
 */
public final class BpeTokenizer implements Tokenizer {
    private final HfTokenizer tokenizer;
    private final boolean prefixSpace;
    /** each id's text on its own, decoded on first use (token healing) */
    private String[] vocabPieces;

    /**
     * @param tokenizer the loaded tokenizer.json (not closed by this wrapper)
     * @param prefixSpace whether phrases get a leading space
     */
    public BpeTokenizer(HfTokenizer tokenizer, boolean prefixSpace) {
        this.tokenizer = tokenizer;
        this.prefixSpace = prefixSpace;
    }

    @Override
    public int[] encodePrompt(String text) {
        if (text == null || text.isBlank()) {
            throw AtelierException.field("prompt", "The {prompt} is empty. Give some text to continue, e.g. \"The soldiers\".");
        }
        return tokenizer.encode(text);
    }

    @Override
    public int[] encodePhrase(String phrase) {
        if (phrase == null || phrase.isBlank()) {
            throw AtelierException.field("constraint", "A constraint phrase is empty. Give at least one word for each "
                    + "{phrase}, {any} option, {ordered} part and {ban}.");
        }
        String p = phrase.strip();
        return tokenizer.encode(prefixSpace ? " " + p : p);
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids);
    }

    /**
     * Byte-level pieces: a token's text is a prefix of another's exactly when its bytes are, except for pieces
     * that are not whole UTF-8 characters (they decode to U+FFFD), which are therefore never healed.
     */
    @Override
    public synchronized int[] tokensExtending(int token) {
        if (vocabPieces == null) {
            vocabPieces = new String[tokenizer.vocabSize()];
            for (int i = 0; i < vocabPieces.length; i++) {
                vocabPieces[i] = tokenizer.decode(new int[] {i});
            }
        }
        String piece = token >= 0 && token < vocabPieces.length ? vocabPieces[token] : "";
        if (piece.isEmpty() || piece.indexOf('\uFFFD') >= 0) {
            return new int[] {token};
        }
        int[] out = new int[16];
        int n = 0;
        for (int i = 0; i < vocabPieces.length; i++) {
            if (vocabPieces[i].startsWith(piece) && vocabPieces[i].indexOf('\uFFFD') < 0) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, 2 * n);
                }
                out[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** @return the text of each id on its own (what --explain shows) */
    public String[] pieces(int[] ids) {
        String[] out = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = tokenizer.decode(new int[] {ids[i]});
        }
        return out;
    }
}
