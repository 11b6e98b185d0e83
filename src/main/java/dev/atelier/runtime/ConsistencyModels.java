package dev.atelier.runtime;

import dev.atelier.base.ModelFileKind;
import dev.atelier.base.ModelManifest;
import ai.djl.Device;
import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.EditSchedule;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.SigmaSchedule;
import dev.atelier.consistency.network.UNetConfig;
import dev.atelier.consistency.network.UNetConsistencyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one entry point that opens a consistency model: a model directory (manifest.json + weights) or a
 * weights file with a manifest.json beside it. Directories written by {@code atelier train-cm}
 * (architecture type {@value UNetConfig#TYPE}) open as {@link UNetConsistencyModel}; everything else must
 * be TorchScript. The weights file is identified from its bytes before
 * libtorch sees it ({@link ModelFileKind}): pickles and torch.save checkpoints are refused, never loaded.
 * A loaded model must pass a dry run on a batch of two images before it is returned.
 */
public final class ConsistencyModels {
    private ConsistencyModels() {
    }

    /**
     * @param path a model directory, or a weights file next to its manifest.json
     * @param device where to run
     * @throws AtelierException for a missing manifest, a file that is not TorchScript, or a model whose
     *     test run fails or disagrees with its manifest
     */
    public static LoadedConsistencyModel load(Path path, Device device) {
        if (!Files.exists(path)) {
            throw new AtelierException("The model " + path + " does not exist. Give a model directory (with "
                    + "manifest.json) or one of the shipped model names.");
        }
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        if (!Files.isRegularFile(dir.resolve(ModelManifest.FILE))) {
            throw new AtelierException("No manifest.json " + (Files.isDirectory(path) ? "in " : "next to ") + path
                    + ". A consistency model needs one that gives its image size, channels, classes, c_noise "
                    + "convention and whether the scalings are inside the network; write it as shown in "
                    + "docs/MODELS.md.");
        }
        ModelManifest m = ModelManifest.read(dir);
        if (!"consistency".equals(m.kind)) {
            throw new AtelierException("The model in " + dir + " is a " + m.kind + " model, not a consistency model. "
                    + "Choose an image model for sample and edit.");
        }
        if (m.architecture != null && UNetConfig.TYPE.equals(m.architecture.path("type").asText())) {
            ConsistencyModel own = UNetConsistencyModel.load(dir, device);
            try {
                checkSchedules(m, own.parameterization(), dir);
                checkGuidable(m, own, dir);
                dryRun(own, dir);
            } catch (RuntimeException e) {
                own.close();
                throw e;
            }
            return new LoadedConsistencyModel(m, own, dir);
        }
        if (m.image == null || m.image.size < 1 || (m.image.channels != 1 && m.image.channels != 3)) {
            throw new AtelierException("The manifest in " + dir + " lacks a valid \"image\" entry (size ≥ 1, channels "
                    + "1 or 3). Add e.g. \"image\": {\"size\": 64, \"channels\": 3}.");
        }
        Path weights;
        if (Files.isDirectory(path)) {
            weights = m.weightsIn(dir, "model.pt");
        } else {
            weights = ModelManifest.fileIn(dir, path.getFileName().toString(), "weights");
            if (m.weights != null && weights.equals(ModelManifest.fileIn(dir, m.weights, "weights"))) {
                m.verify(weights);
            }
        }
        ModelFileKind kind;
        try {
            kind = ModelFileKind.of(weights);
        } catch (IOException e) {
            throw new AtelierException("The weights file " + weights + " cannot be read (" + AtelierException.reason(e) + ").", e);
        }
        Parameterization p = Parameterization.of(m);
        checkSchedules(m, p, dir);
        int classes = m.classes == null ? 0 : m.classes.size();
        ConsistencyModel model;
        switch (kind) {
            case TORCHSCRIPT:
                model = TorchScriptConsistencyModel.open(weights, m.image.size, m.image.channels, classes, p,
                        Boolean.TRUE.equals(m.scalings_inside), Boolean.TRUE.equals(m.null_class), device);
                break;
            case PICKLE:
                throw new AtelierException(weights + " is a raw Python pickle, not TorchScript. Atelier does not load "
                        + "pickles (loading one runs arbitrary code from the file). Export the model with "
                        + "torch.jit.trace(model, example_inputs).save(\"model.pt\") (see docs/MODELS.md).");
            case TORCH_SAVE_CHECKPOINT:
                throw new AtelierException(weights + " is a torch.save checkpoint (a zip with data.pkl and no code/): "
                        + "weights without the network's code, stored as a pickle. Atelier does not load those. "
                        + "Load it into your network in PyTorch and export TorchScript with "
                        + "torch.jit.trace(model, example_inputs).save(\"model.pt\") (see docs/MODELS.md).");
            case EMPTY:
                throw new AtelierException("The weights file " + weights + " is empty. Copy or export it again.");
            default:
                throw new AtelierException("The weights file " + weights + " is not a TorchScript archive (no code/ "
                        + "and constants.pkl inside). Export the model with torch.jit.trace(...).save(...) "
                        + "(see docs/MODELS.md).");
        }
        try {
            checkGuidable(m, model, dir);
            dryRun(model, dir);
            checkNoExtraClasses(model, dir);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new LoadedConsistencyModel(m, model, dir);
    }

    /**
     * Checks the manifest's default step count and every tuned σ list now, so that a bad entry is reported as the
     * manifest's fault when the model loads, not as a bad {@code --steps} later.
     */
    private static void checkGuidance(Double w, String what, Path dir) {
        if (w != null && !(w >= 0 && w <= dev.atelier.consistency.GuidedModel.MAX_WEIGHT)) {
            throw new AtelierException("The manifest in " + dir + " gives " + what + " " + w + ". Fix manifest.json: "
                    + "give a class-guidance weight from 0 to " + (int) dev.atelier.consistency.GuidedModel.MAX_WEIGHT
                    + ", or leave it out.");
        }
    }

    /** A manifest that asks for guidance must describe a model that can be guided (classes and a "no class"). */
    static void checkGuidable(ModelManifest m, ConsistencyModel model, Path dir) {
        boolean asks = m.guidance != null && m.guidance > 0;
        if (m.edit_schedules != null) {
            for (ModelManifest.EditEntry e : m.edit_schedules.values()) {
                asks |= e.guidance() != null && e.guidance() > 0;
            }
        }
        if (asks && (model.numClasses() == 0 || !model.hasNullClass())) {
            throw new AtelierException("The manifest in " + dir + " asks for class guidance, but the model "
                    + (model.numClasses() == 0 ? "has no classes" : "has no \"no class\" label (add \"null_class\": "
                    + "true if label " + model.numClasses() + " is one)") + ". Fix manifest.json: remove the "
                    + "\"guidance\" entries or set them to 0.");
        }
    }

    static void checkSchedules(ModelManifest m, Parameterization p, Path dir) {
        if (m.default_steps != null && (m.default_steps < 1 || m.default_steps > SigmaSchedule.MAX_STEPS)) {
            throw new AtelierException("The manifest in " + dir + " gives default_steps " + m.default_steps
                    + ". Fix manifest.json: give 1 to " + SigmaSchedule.MAX_STEPS + " (usually 2).");
        }
        checkGuidance(m.guidance, "\"guidance\"", dir);
        if (m.edit_schedules != null) {
            for (Map.Entry<String, ModelManifest.EditEntry> e : m.edit_schedules.entrySet()) {
                checkGuidance(e.getValue().guidance(), "\"edit_schedules\" entry \"" + e.getKey() + "\" guidance", dir);
                try {
                    EditTask task = EditTask.of(e.getKey());
                    if (task == EditTask.DENOISE || task == EditTask.INTERPOLATE) {
                        throw new AtelierException(task.id() + " takes no editing schedule.");
                    }
                    EditSchedule.of(e.getValue()).expanded(p);
                } catch (AtelierException ex) {
                    throw new AtelierException("The manifest in " + dir + " has a bad \"edit_schedules\" entry \""
                            + e.getKey() + "\": " + ex.getMessage() + " Fix manifest.json: each key is an edit task "
                            + "(inpaint, superres, stroke, colorize) and its value {\"sigmas\":[…], \"resample\":R}.", ex);
                }
            }
        }
        if (m.schedules == null) {
            return;
        }
        for (Map.Entry<String, double[]> e : m.schedules.entrySet()) {
            try {
                SigmaSchedule.forSteps(Integer.parseInt(e.getKey().trim()), m.schedules, p);
            } catch (NumberFormatException | AtelierException ex) {
                throw new AtelierException("The manifest in " + dir + " has a bad \"schedules\" entry \"" + e.getKey()
                        + "\": " + (ex instanceof AtelierException ? ex.getMessage() : "the key must be a step count.")
                        + " Fix manifest.json: each key is a step count K (1-" + SigmaSchedule.MAX_STEPS + ") and "
                        + "its value K noise levels from sigma_max down.", ex);
            }
        }
    }

    /**
     * The dry run proves a network takes every listed class; this proves it takes no more. A TorchScript network
     * that accepts label N although the manifest lists N classes (and no "no class" label) has classes the manifest
     * does not name, so its names are probably shifted or incomplete: refused rather than sampled under wrong names.
     */
    static void checkNoExtraClasses(ConsistencyModel model, Path dir) {
        int classes = model.numClasses();
        if (classes == 0) {
            return;
        }
        int beyond = classes + (model.hasNullClass() ? 1 : 0);
        float[] x = new float[model.channels() * model.size() * model.size()];
        try {
            model.denoise(x, new float[] {1f}, new int[] {beyond});
        } catch (RuntimeException expected) {
            return; // an index error: the network has exactly the listed classes
        }
        throw new AtelierException("The network in " + dir + " accepts class label " + beyond + ", but manifest.json "
                + "lists " + classes + " classes (labels 0-" + (classes - 1) + (model.hasNullClass() ? ", and " + classes
                + " as \"no class\"" : "") + "). List every class of the network in \"classes\", in label order"
                + (model.hasNullClass() ? "" : ", or, if label " + classes + " is its \"no class\" label, add "
                + "\"null_class\": true") + " (see docs/MODELS.md).");
    }

    /**
     * Runs f on two blank images at σmax and 1 and checks the output's size and finiteness, so that a
     * manifest that disagrees with the network fails here with a clear message rather than mid-job.
     */
    static void dryRun(ConsistencyModel model, Path dir) {
        int n = model.channels() * model.size() * model.size();
        float[] x = new float[2 * n];
        float[] sigma = {(float) model.parameterization().sigmaMax(), 1f};
        int[] labels = model.numClasses() > 0 ? new int[] {0, model.numClasses() - 1} : null;
        float[] out;
        try {
            out = model.denoise(x, sigma, labels);
        } catch (AtelierException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AtelierException("The model in " + dir + " failed its test run on a batch of 2 images of "
                    + model.channels() + "×" + model.size() + "×" + model.size() + (labels != null ? " with class labels"
                    : "") + " (" + AtelierException.reason(e) + "). The manifest's image "
                    + "size, channels or classes probably do not match the network: fix manifest.json "
                    + "(see docs/MODELS.md).", e);
        }
        if (out.length != 2 * n) {
            throw new AtelierException("The model in " + dir + " returned " + out.length + " values for 2 images of "
                    + n + "; fix the manifest's image size and channels.");
        }
        for (float v : out) {
            if (!Float.isFinite(v)) {
                throw new AtelierException("The model in " + dir + " returned NaN or infinity on its test run. The "
                        + "weights are damaged or the c_noise convention in manifest.json is wrong.");
            }
        }
    }
}
