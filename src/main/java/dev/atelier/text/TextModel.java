package dev.atelier.text;

/**
 * A loaded text model: the language model, its tokenizer and a display name. Closing it closes the model.
 *
 * @param name display name (the model's file or directory name, or its manifest name)
 * @param model next-token log-probabilities
 * @param tokenizer text to ids and back, in the model's vocabulary
 */
public record TextModel(String name, LanguageModel model, Tokenizer tokenizer) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
