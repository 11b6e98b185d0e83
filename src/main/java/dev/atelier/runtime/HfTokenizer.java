package dev.atelier.runtime;

import dev.atelier.base.Engines;
import dev.atelier.base.ModelManifest;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.AtelierException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (GPT-2's, or one written by Atelier's BPE trainer) used through
 * DJL's bundled tokenizers library: no special tokens added, no padding, no truncation.
 */
public final class HfTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final Path file;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, Path file) {
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.file = file;
    }

    /**
     * Loads a tokenizer.json.
     *
     * @throws AtelierException if the file is missing or not a tokenizer the library can load
     */
    public static HfTokenizer load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AtelierException("The tokenizer " + file + " does not exist. A language model directory "
                    + "needs the tokenizer.json its model was trained with (save it with "
                    + "tokenizer.save_pretrained / tokenizer.backend_tokenizer.save, see docs/MODELS.md).");
        }
        int size;
        try {
            JsonNode root = dev.atelier.Json.read(file);
            size = 0;
            JsonNode vocab = root.path("model").path("vocab");
            for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) {
                size = Math.max(size, it.next().asInt() + 1);
            }
            for (JsonNode t : root.path("added_tokens")) {
                size = Math.max(size, t.path("id").asInt() + 1);
            }
        } catch (IOException e) {
            throw new AtelierException("The tokenizer " + file + " is not valid JSON (" + AtelierException.reason(e) + "). "
                    + "Save the tokenizer again as a Hugging Face tokenizer.json.", e);
        }
        if (size == 0) {
            throw new AtelierException("The tokenizer " + file + " has no vocabulary (model.vocab is missing or "
                    + "empty). Give the Hugging Face tokenizer.json (a \"fast\" tokenizer file), not a vocab.json.");
        }
        try {
            Engines.configure(dev.atelier.base.EngineConfig.ALL_CORES);
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"));
            return new HfTokenizer(t, size, file);
        } catch (IOException | RuntimeException e) {
            throw new AtelierException("The tokenizer " + file + " cannot be loaded (" + AtelierException.reason(e) + "). Give "
                    + "a Hugging Face tokenizer.json saved by the tokenizers library.", e);
        }
    }

    /** @return the number of ids (the largest id + 1, added tokens included) */
    public int vocabSize() {
        return vocabSize;
    }

    /** @return the file it was loaded from */
    public Path file() {
        return file;
    }

    /** @return the ids of {@code text}, exactly as the tokenizer splits it */
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** @return the text of {@code ids}, special tokens included */
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
