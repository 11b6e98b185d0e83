package dev.atelier.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.AtelierException;
import dev.atelier.consistency.EditSchedule;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.SigmaSchedule;
import dev.atelier.consistency.network.UNetConfig;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import dev.atelier.text.BigramModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The models a user can choose: the shipped ones and any path. {@link #describe(String)} is a cheap manifest read
 * (no weights load, callable from any thread), so a form can bind its controls before a model is loaded.
 */
public final class ModelCatalogue {
    /** @return the shipped models, described */
    public List<ModelDescription> shipped() {
        List<ModelDescription> out = new ArrayList<>();
        for (String name : ModelLocator.shippedNames()) {
            out.add(describe(name));
        }
        return out;
    }

    /**
     * @param model a shipped name, a model directory, a weights file next to its manifest.json, or a bigram .json
     * @return its description
     * @throws AtelierException (field {@code model}) if it cannot be found or its manifest cannot be read
     */
    public ModelDescription describe(String model) {
        Path path = resolve(model);
        if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                && !path.getFileName().toString().equals(ModelManifest.FILE)) {
            return describeBigram(model, path);
        }
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        ModelManifest m;
        try {
            m = ModelManifest.read(dir);
        } catch (AtelierException e) {
            throw AtelierException.about("model", e);
        }
        boolean consistency = ModelDescription.CONSISTENCY.equals(m.kind);
        List<String> classes = m.classes == null ? List.of() : List.copyOf(m.classes);
        // as the runtime loads it: Atelier's own network always has a "no class" label, TorchScript ones say so
        boolean guidable = consistency && !classes.isEmpty() && (Boolean.TRUE.equals(m.null_class)
                || (m.architecture != null && UNetConfig.TYPE.equals(m.architecture.path("type").asText())));
        Map<String, Double> editGuidance = new HashMap<>();
        if (guidable && m.edit_schedules != null) {
            m.edit_schedules.forEach((task, e) -> {
                if (e != null && e.guidance() != null) {
                    editGuidance.put(task, e.guidance());
                }
            });
        }
        return new ModelDescription(model, path, m.kind, m.name,
                m.image == null ? 0 : m.image.size, m.image == null ? 0 : m.image.channels, classes,
                consistency ? (m.default_steps == null ? 2 : m.default_steps) : 0,
                consistency ? SigmaSchedule.MAX_STEPS : 0, m.tokenizer, m.context == null ? 0 : m.context, m.licence,
                guidable, guidable ? m.defaultGuidance() : 0, editGuidance);
    }

    /**
     * The σ list an edit runs when its request carries {@link Schedule#DEFAULT}, read from the manifest (no weights
     * load): the same list the editing service uses.
     *
     * @param model a consistency model (as {@link #describe(String)} takes it)
     * @param task an editing task other than denoise
     * @throws AtelierException (field {@code model}) if the manifest cannot be read or its schedules are bad
     */
    public double[] editSchedule(String model, EditTask task) {
        Path path = resolve(model);
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        try {
            ModelManifest m = ModelManifest.read(dir);
            Parameterization p = Parameterization.of(m);
            double[] sampling = SigmaSchedule.forSteps(m.default_steps == null ? 2 : m.default_steps, m.schedules, p);
            return EditSchedule.forTask(task, m.edit_schedules, sampling, p);
        } catch (AtelierException e) {
            throw AtelierException.about("model", e);
        }
    }

    /**
     * @param given the model the user chose, or null
     * @param kind the kind wanted ({@link ModelDescription#CONSISTENCY} or {@link ModelDescription#LANGUAGE})
     * @return {@code given}, or the first shipped model of that kind
     * @throws AtelierException (field {@code model}) if none is given and none is shipped
     */
    public String modelOrDefault(String given, String kind) {
        if (given != null) {
            return given;
        }
        Path models = ModelLocator.modelsDir();
        for (String name : ModelLocator.shippedNames()) {
            if (kind.equals(ModelManifest.read(models.resolve(name)).kind)) {
                return name;
            }
        }
        throw AtelierException.field("model", "No {model} given and no shipped " + kind + " model found under "
                + "assets/models. Choose a model directory (see docs/MODELS.md).");
    }

    /**
     * @return the existing file or directory {@code model} names
     * @throws AtelierException (field {@code model}) naming what was looked for and the shipped models
     */
    public Path resolve(String model) {
        return ModelLocator.resolve(model);
    }

    private static ModelDescription describeBigram(String model, Path path) {
        int vocab = 0;
        try {
            JsonNode root = ModelManifest.JSON.readTree(path.toFile());
            vocab = root == null ? 0 : root.path("vocab").size();
        } catch (IOException e) {
            // described without its vocabulary size; loading it reports the problem precisely
        }
        return new ModelDescription(model, path, ModelDescription.LANGUAGE, BigramModel.FORMAT + ", " + vocab
                + " words", 0, 0, List.of(), 0, 0, "words", 0, null);
    }
}
