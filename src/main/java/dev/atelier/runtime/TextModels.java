package dev.atelier.runtime;

import dev.atelier.base.EngineConfig;
import dev.atelier.base.ModelManifest;
import dev.atelier.AtelierException;
import dev.atelier.text.BigramModel;
import dev.atelier.text.TextModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a text model for {@code --model}: an {@code atelier-bigram/1} JSON file, or a model directory whose
 * manifest has kind {@code language}. The one place new text-model formats are added.
 */
public final class TextModels {
    private TextModels() {
    }

    /**
     * @param path a bigram JSON file or a language-model directory
     * @param engine device and threads for a language-model directory (a bigram file needs no engine)
     * @return the loaded model; close it when done
     * @throws AtelierException naming the path and what is wrong with it
     */
    public static TextModel load(Path path, EngineConfig engine) {
        if (Files.isRegularFile(path)) {
            if (path.getFileName().toString().toLowerCase().endsWith(".json")) {
                BigramModel m = BigramModel.read(path);
                return new TextModel(path.getFileName().toString(), m, m.tokenizer());
            }
            throw new AtelierException("The text model " + path + " is neither an " + BigramModel.FORMAT + " JSON file "
                    + "nor a model directory. Give a bigram .json file or a directory with a manifest.json of kind "
                    + "\"language\".");
        }
        if (Files.isDirectory(path)) {
            ModelManifest manifest = ModelManifest.read(path);
            if (!"language".equals(manifest.kind)) {
                throw new AtelierException("The model " + path + " has kind \"" + manifest.kind + "\", not \"language\". "
                        + "Give a language model (or a bigram .json file) to atelier text.");
            }
            return LanguageModels.load(path, true, engine.apply()).toTextModel();
        }
        throw new AtelierException("The text model " + path + " does not exist. Give a bigram .json file or a model "
                + "directory.");
    }
}
