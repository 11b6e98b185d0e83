package dev.atelier.runtime;

import ai.djl.Device;
import dev.atelier.base.Engines;
import dev.atelier.base.ModelManifest;
import ai.djl.ndarray.NDManager;
import dev.atelier.AtelierException;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.TextModel;
import dev.atelier.text.lm.Gpt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Loads language-model directories (manifest kind {@code language}): Atelier's own transformer
 * (architecture type {@code gpt}, weights in a DJL NDList file) or a user's TorchScript causal LM. Both come
 * with a Hugging Face tokenizer.json; the vocabulary size and context length are checked against the
 * tokenizer and manifest before the model is used. Call from the inference lane.
 */
public final class LanguageModels {
    private LanguageModels() {
    }

    /** A loaded language model with its tokenizer and manifest; closing it closes both. */
    public record Loaded(LanguageModel model, HfTokenizer tokenizer, ModelManifest manifest, Path dir)
            implements AutoCloseable {
        /** @return whether phrases inside a text are tokenised with a leading space */
        public boolean prefixSpace() {
            return manifest.prefix_space == null || manifest.prefix_space;
        }

        @Override
        public void close() {
            model.close();
            tokenizer.close();
        }

        /** @return the model for {@code atelier text} and the studio; closing it closes this */
        public TextModel toTextModel() {
            Loaded self = this;
            LanguageModel closesBoth = new LanguageModel() {
                @Override public int vocabSize() { return model.vocabSize(); }
                @Override public int eosId() { return model.eosId(); }
                @Override public int padId() { return model.padId(); }
                @Override public int contextLength() { return model.contextLength(); }
                @Override public Decoder start(int[][] rows) { return model.start(rows); }
                @Override public void close() { self.close(); }
            };
            String name = manifest.name != null ? manifest.name : dir.getFileName().toString();
            return new TextModel(name, closesBoth, new BpeTokenizer(tokenizer, prefixSpace()));
        }
    }

    /**
     * @param dir a model directory whose manifest has kind "language"
     * @param useCache whether decoders keep a KV cache (when the model has one)
     * @throws AtelierException naming the file at fault and the fix
     */
    public static Loaded load(Path dir, boolean useCache, Device device) {
        ModelManifest m = ModelManifest.read(dir);
        if (!"language".equals(m.kind)) {
            throw new AtelierException("The model " + dir + " is a " + m.kind + " model, not a language model. "
                    + "Pick a model directory whose manifest.json has \"kind\": \"language\".");
        }
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (Object[] f : new Object[][] {{"weights", m.weights}, {"tokenizer", m.tokenizer}, {"eos", m.eos},
                {"context", m.context}}) {
            if (f[1] == null) {
                missing.add("\"" + f[0] + "\"");
            }
        }
        if (!missing.isEmpty()) {
            throw new AtelierException("The manifest in " + dir + " lacks " + String.join(", ", missing) + ", which a "
                    + "language model needs. Add " + (missing.size() == 1 ? "it" : "them") + " (see docs/MODELS.md).");
        }
        Path weights = m.weightsIn(dir, m.weights);
        HfTokenizer tok = HfTokenizer.load(ModelManifest.fileIn(dir, m.tokenizer, "tokenizer"));
        try {
            int pad = m.pad == null ? m.eos : m.pad;
            if (m.eos < 0 || m.eos >= tok.vocabSize() || pad < 0 || pad >= tok.vocabSize()) {
                throw new AtelierException("The manifest in " + dir + " gives eos " + m.eos + " / pad " + pad + ", "
                        + "outside the tokenizer's " + tok.vocabSize() + " ids. Use the ids of the tokenizer's "
                        + "end-of-text token.");
            }
            String type = m.architecture == null ? null : m.architecture.path("type").asText(null);
            LanguageModel lm;
            if ("gpt".equals(type)) {
                lm = loadGpt(dir, m, weights, tok, pad, useCache, device);
            } else if (isTorchScript(weights)) {
                lm = TorchScriptLanguageModel.load(weights, m, tok.vocabSize(), pad, useCache, device);
            } else {
                throw new AtelierException("The weights " + weights + " are neither an Atelier transformer "
                        + "(architecture type \"gpt\") nor a TorchScript file (a zip with code/ inside). Export the "
                        + "model with torch.jit.trace/script and save it with torch.jit.save (see docs/MODELS.md).");
            }
            return new Loaded(lm, tok, m, dir);
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    private static LanguageModel loadGpt(Path dir, ModelManifest m, Path weights, HfTokenizer tok, int pad,
                                         boolean useCache, Device device) {
        Gpt.Config c = Gpt.Config.fromJson(m.architecture);
        if (c.vocab() != tok.vocabSize()) {
            throw new AtelierException("The model in " + dir + " has a vocabulary of " + c.vocab() + " tokens but its "
                    + "tokenizer has " + tok.vocabSize() + ". Use the tokenizer.json the model was trained with.");
        }
        if (c.context() != m.context) {
            throw new AtelierException("The manifest in " + dir + " says context " + m.context + " but the network "
                    + "was built for " + c.context() + ". Fix \"context\" in manifest.json.");
        }
        Engines.engine();
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new GptLanguageModel(Gpt.load(c, manager, weights), m.eos, pad, useCache, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** @return whether the file is a TorchScript archive: a zip holding a {@code code/} directory */
    static boolean isTorchScript(Path file) {
        // ZipFile reads the central directory: torch.jit.save writes stored entries with data descriptors,
        // which the streaming ZipInputStream cannot read
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().contains("/code/") || e.getName().startsWith("code/"));
        } catch (IOException e) {
            return false;
        }
    }
}
