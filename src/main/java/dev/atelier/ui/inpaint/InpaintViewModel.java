package dev.atelier.ui.inpaint;

import dev.atelier.AtelierException;
import dev.atelier.app.EditingRequest;
import dev.atelier.app.ImageInput;
import dev.atelier.app.ImageResult;
import dev.atelier.app.MaskInput;
import dev.atelier.app.ModelDescription;
import dev.atelier.app.SampleProgress;
import dev.atelier.app.Schedule;
import dev.atelier.app.Services;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.SigmaSchedule;
import dev.atelier.image.ImageFiles;
import dev.atelier.image.PngImages;
import dev.atelier.ui.common.ImageActions;
import dev.atelier.ui.common.JobsViewModel;
import dev.atelier.ui.common.PixelImages;
import dev.atelier.ui.common.Settings;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.input.Clipboard;
import javafx.scene.input.Dragboard;

/**
 * The Inpainting panel's state and actions. Every import (drop, Open…, paste, "send to" from Sampling) goes
 * through {@link #importImage}: decoded off the FX thread, fitted to the model as the engine does, and on
 * failure a notification naming the problem while the panel keeps what it had. All properties are read and
 * written on the FX thread.
 */
public final class InpaintViewModel {
    /** The tasks the panel offers, in menu order (interpolate makes images from noise: Sampling does that). */
    /** Menu names of the tasks: short, so that each fits the box whole; {@link #TASK_HINTS} says more. */
    public static final Map<EditTask, String> TASK_NAMES = Map.of(EditTask.INPAINT, "Inpaint",
            EditTask.COLORIZE, "Colorize", EditTask.SUPERRES, "Super-resolution",
            EditTask.DENOISE, "Denoise", EditTask.STROKE, "Stroke-guided edit");
    /** What each task does, in a sentence (on hover over the task box, and first in the line under the picture). */
    public static final Map<EditTask, String> TASK_HINTS = Map.of(
            EditTask.INPAINT, "Regenerates what you paint; the rest stays exactly as it is.",
            EditTask.COLORIZE, "Colours a gray picture (needs an RGB model).",
            EditTask.SUPERRES, "Adds the detail of a blurry picture, patch by patch.",
            EditTask.DENOISE, "Removes noise of level σ from the picture.",
            EditTask.STROKE, "Turns rough painted strokes into a plausible picture.");

    /** The most results per run. */
    public static final int MAX_COUNT = 16;
    /** The panel's job owner. */
    public static final String OWNER = "inpaint";
    public static final List<EditTask> TASKS = List.of(EditTask.INPAINT, EditTask.COLORIZE, EditTask.SUPERRES,
            EditTask.DENOISE, EditTask.STROKE);

    private final Settings.InpaintSettings settings;
    private final Services services;
    private final JobsViewModel jobs;
    private final Runnable saveSettings;
    private final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "inpaint-import");
        t.setDaemon(true);
        return t;
    });
    private long importGeneration;

    private final ReadOnlyObjectWrapper<InputImage> input = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<MaskModel> mask = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyIntegerWrapper maskVersion = new ReadOnlyIntegerWrapper();
    private final ReadOnlyBooleanWrapper importing = new ReadOnlyBooleanWrapper();
    private final StringProperty model = new SimpleStringProperty();
    private final IntegerProperty size = new SimpleIntegerProperty(28);
    private final IntegerProperty channels = new SimpleIntegerProperty(1);
    private final ObjectProperty<EditTask> task = new SimpleObjectProperty<>(EditTask.INPAINT);
    private final ObjectProperty<Integer> steps = new SimpleObjectProperty<>();
    private final Map<EditTask, double[]> defaultSigmas = new java.util.EnumMap<>(EditTask.class);
    private final ReadOnlyObjectWrapper<double[]> taskDefault = new ReadOnlyObjectWrapper<>();
    /** the chosen class-guidance weight; null: the task's default */
    private final ObjectProperty<Double> guidance = new SimpleObjectProperty<>();
    private final javafx.beans.property.ReadOnlyDoubleWrapper guidanceDefault =
            new javafx.beans.property.ReadOnlyDoubleWrapper();
    private final ReadOnlyBooleanWrapper guidable = new ReadOnlyBooleanWrapper();
    private final javafx.beans.property.ReadOnlyStringWrapper unguidableReason =
            new javafx.beans.property.ReadOnlyStringWrapper();
    private ModelDescription description;
    private final BooleanProperty randomSeed = new SimpleBooleanProperty(true);
    private final LongProperty seed = new SimpleLongProperty(1);
    private final DoubleProperty brush = new SimpleDoubleProperty(3);
    private final BooleanProperty eraser = new SimpleBooleanProperty();
    private final DoubleProperty overlay = new SimpleDoubleProperty(0.55);
    private final IntegerProperty strokeColour = new SimpleIntegerProperty(0xffffff);
    private final DoubleProperty sigma = new SimpleDoubleProperty(0.3);
    private final IntegerProperty patch = new SimpleIntegerProperty(4);
    private final StringProperty problem = new SimpleStringProperty();
    private final StringProperty problemField = new SimpleStringProperty();
    private final ObservableList<EditResult> results = FXCollections.observableArrayList();
    private final ObjectProperty<EditResult> selected = new SimpleObjectProperty<>();
    private final ObservableList<String> models = FXCollections.observableArrayList();
    private final ObservableList<Integer> patchChoices = FXCollections.observableArrayList();
    private final IntegerProperty count = new SimpleIntegerProperty(4);
    private final StringProperty status = new SimpleStringProperty("");
    private final List<String> classes = new java.util.ArrayList<>();
    private String modelInUse;
    private BiConsumer<String, Throwable> notifier = (m, e) -> { };
    private final ReadOnlyBooleanProperty runningShown;

    /**
     * @param settings the panel's stored settings (read now, written back as they change)
     * @param saveSettings persists the settings file
     * @param services the editing service and the model catalogue
     * @param jobs this panel's jobs (its own busy state, progress and Esc)
     */
    public InpaintViewModel(Settings.InpaintSettings settings, Runnable saveSettings, Services services,
            JobsViewModel jobs) {
        this.settings = settings;
        this.saveSettings = saveSettings;
        this.services = services;
        this.jobs = jobs;
        this.runningShown = dev.atelier.ui.common.Grace.shown(jobs.busyProperty());
        jobs.setFailureSink((message, error) -> notifyProblem(message,
                error instanceof AtelierException a ? a.field() : null, error));
        task.set(TASKS.stream().filter(t -> t.id().equals(settings.task)).findFirst().orElse(EditTask.INPAINT));
        randomSeed.set(!"fixed".equals(settings.seedMode));
        seed.set(settings.seed);
        brush.set(settings.brush);
        overlay.set(settings.overlay);
        strokeColour.set(settings.strokeColour & 0xffffff);
        sigma.set(settings.sigma);
        patch.set(settings.patch);
        model.set(settings.model);
        count.set(Math.max(1, Math.min(MAX_COUNT, settings.count)));
        newMask(size.get());
        for (ModelDescription d : services.catalogue().shipped()) {
            if (ModelDescription.CONSISTENCY.equals(d.kind())) {
                models.add(d.name());
            }
        }
        String chosen = settings.model != null ? settings.model : models.isEmpty() ? null : models.get(0);
        if (chosen != null && !selectModel(chosen)) {
            selectModel(models.isEmpty() ? null : models.get(0));
        }
        if (settings.steps != null) {
            steps.set(Math.max(1, Math.min(SigmaSchedule.MAX_STEPS, settings.steps)));
        }
        if (settings.guidance != null && settings.guidance >= 0) {
            guidance.set(Math.min(dev.atelier.consistency.GuidedModel.MAX_WEIGHT, settings.guidance));
        }
        model.addListener((o, a, b) -> {
            if (b != null && !b.equals(modelInUse) && !selectModel(b)) {
                Platform.runLater(() -> model.set(modelInUse));
            }
        });
        task.addListener((o, a, b) -> {
            taskDefault.set(defaultSigmas.get(b));
            showGuidance();
            remember(s -> s.task = b.id());
        });
        randomSeed.addListener((o, a, b) -> remember(s -> s.seedMode = b ? "random" : "fixed"));
        seed.addListener((o, a, b) -> remember(s -> s.seed = b.longValue()));
        brush.addListener((o, a, b) -> remember(s -> s.brush = b.doubleValue()));
        overlay.addListener((o, a, b) -> remember(s -> s.overlay = b.doubleValue()));
        strokeColour.addListener((o, a, b) -> remember(s -> s.strokeColour = b.intValue()));
        sigma.addListener((o, a, b) -> remember(s -> s.sigma = b.doubleValue()));
        patch.addListener((o, a, b) -> remember(s -> s.patch = b.intValue()));
        steps.addListener((o, a, b) -> remember(s -> s.steps = b));
        guidance.addListener((o, a, b) -> remember(s -> s.guidance = b));
        count.addListener((o, a, b) -> remember(s -> s.count = b.intValue()));
    }

    private void remember(Consumer<Settings.InpaintSettings> change) {
        change.accept(settings);
        saveSettings.run();
    }

    /** Where problems go (the window's notification bar; the error, if any, for details); on the FX thread. */
    public void setNotifier(BiConsumer<String, Throwable> notifier) {
        this.notifier = notifier;
    }

    // ---- import -------------------------------------------------------------------------------------------

    /** Imports an image file (drop, Open…, a file on the clipboard). */
    public void importFile(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        importAsync(() -> ImageFiles.decode(file), name);
    }

    /**
     * Imports a decoded image: the entry for "send to" from the Sampling panel and for pasted pixels.
     *
     * @param image any image; fitted to the model (center crop + box resample)
     * @param sourceName what to call it ("Sampling, seed 42", "clipboard")
     */
    public void importImage(BufferedImage image, String sourceName) {
        importAsync(() -> image, sourceName);
    }

    /**
     * Imports what is on the clipboard: an image file, or pixels.
     *
     * @return false (with a notification) if the clipboard holds neither
     */
    public boolean paste(Clipboard clipboard) {
        if (clipboard.hasFiles() && !clipboard.getFiles().isEmpty()) {
            importFile(clipboard.getFiles().get(0).toPath());
            return true;
        }
        if (clipboard.hasImage()) {
            importImage(SwingFXUtils.fromFXImage(clipboard.getImage(), null), "the clipboard");
            return true;
        }
        notifyProblem("The clipboard holds no image. Copy an image or an image file first, then paste again.", null,
                null);
        return false;
    }

    /** @return true if a drag carries something the panel can import (a file or an image) */
    public static boolean accepts(Dragboard board) {
        return board.hasFiles() || board.hasImage();
    }

    /**
     * Imports a dropped file (the first, if several) or dropped pixels.
     *
     * @return true if something was taken for import (its decoding may still fail, with a notification)
     */
    public boolean drop(Dragboard board) {
        if (board.hasFiles() && !board.getFiles().isEmpty()) {
            List<File> files = board.getFiles();
            importFile(files.get(0).toPath());
            return true;
        }
        if (board.hasImage()) {
            importImage(SwingFXUtils.fromFXImage(board.getImage(), null), "the dropped image");
            return true;
        }
        notifyProblem("Nothing to import: drop an image file (PNG, JPEG, BMP or GIF).", null, null);
        return false;
    }

    private interface Decode {
        BufferedImage get();
    }

    private void importAsync(Decode decode, String source) {
        long generation = ++importGeneration;
        int s = size.get();
        int c = channels.get();
        importing.set(true);
        decoder.execute(() -> {
            InputImage fitted;
            String error;
            try {
                fitted = InputImage.fit(decode.get(), source, s, c);
                error = null;
            } catch (AtelierException e) {
                fitted = null;
                error = e.getMessage();
            } catch (RuntimeException | OutOfMemoryError e) {
                fitted = null;
                error = "The image " + source + " could not be imported (" + e + "). Try another file or convert "
                        + "it to PNG.";
            }
            InputImage result = fitted;
            String message = error;
            Platform.runLater(() -> {
                if (generation != importGeneration) {
                    return;
                }
                importing.set(false);
                if (message != null) {
                    notifyProblem(message, null, null);
                } else {
                    accept(result);
                }
            });
        });
    }

    private void accept(InputImage image) {
        problem.set(null);
        problemField.set(null);
        input.set(image);
        if (mask.get().size() != image.size()) {
            newMask(image.size());
        } else {
            mask.get().reset(new boolean[image.size() * image.size()]);
        }
    }

    private void newMask(int side) {
        MaskModel m = new MaskModel(side);
        m.setOnChange(() -> maskVersion.set(maskVersion.get() + 1));
        mask.set(m);
        maskVersion.set(maskVersion.get() + 1);
    }

    /** Shows a problem: a notification, and the field key for the view to highlight (or null). */
    void notifyProblem(String message, String field, Throwable error) {
        problem.set(message);
        problemField.set(field);
        notifier.accept(message, error);
    }

    // ---- running ------------------------------------------------------------------------------------------

    /**
     * Makes {@code name} the panel's model: its size, channels, classes and default schedules; the input is fitted
     * to it again. A model that cannot be described keeps the previous one, with a notification.
     *
     * @return false if the model could not be used
     */
    boolean selectModel(String name) {
        if (name == null) {
            return false;
        }
        ModelDescription d;
        try {
            d = services.catalogue().describe(name);
            if (!ModelDescription.CONSISTENCY.equals(d.kind())) {
                throw AtelierException.field("model", "The model " + name + " is a " + d.kind() + " model; the "
                        + "Inpainting panel edits images with a consistency model.");
            }
        } catch (AtelierException e) {
            notifyProblem(e.getMessage(), "model", null);
            return false;
        }
        modelInUse = name;
        model.set(name);
        classes.clear();
        classes.addAll(d.classes());
        defaultSigmas.clear();
        for (EditTask t : TASKS) {
            if (t != EditTask.DENOISE) {
                try {
                    defaultSigmas.put(t, services.catalogue().editSchedule(name, t));
                } catch (AtelierException e) {
                    // shown as "Default" without its σ list; running reports the manifest's problem
                }
            }
        }
        taskDefault.set(defaultSigmas.get(task.get()));
        description = d;
        showGuidance();
        patchChoices.clear();
        for (int p = 2; p <= d.size() / 2; p++) {
            if (d.size() % p == 0) {
                patchChoices.add(p);
            }
        }
        if (!patchChoices.contains(patch.get()) && !patchChoices.isEmpty()) {
            patch.set(patchChoices.contains(4) ? 4 : patchChoices.get(0));
        }
        boolean geometry = d.size() != size.get() || d.channels() != channels.get();
        size.set(d.size());
        channels.set(d.channels());
        if (geometry) {
            InputImage in = input.get();
            newMask(d.size());
            input.set(in == null ? null : in.refit(d.size(), d.channels()));
            results.clear();
            selected.set(null);
        }
        return true;
    }

    /** Whether the current model and task take guidance, and the task's default weight. */
    private void showGuidance() {
        EditTask t = task.get();
        guidanceDefault.set(description == null || t == EditTask.DENOISE ? 0 : description.editGuidance(t));
        unguidableReason.set(description == null ? "no model is chosen yet." : t == EditTask.DENOISE
                ? "denoise is one evaluation of the model at the input's noise level; it takes no guidance."
                : description.unguidableReason());
        guidable.set(unguidableReason.get() == null);
    }

    /** @return the class-guidance weight the next run uses: the chosen one, else the task's default; 0 if none */
    public double effectiveGuidance() {
        return !guidable.get() ? 0 : guidance.get() != null ? guidance.get() : guidanceDefault.get();
    }

    /**
     * Runs the task on the input (and the mask, for inpainting) through the editing service, as this panel's
     * job; the results replace the last ones when it ends. Problems found before running (no input, an empty
     * mask, a bad field) are shown at once and nothing is submitted.
     */
    public void run() {
        if (jobs.busyProperty().get()) {
            return;
        }
        InputImage in = input.get();
        if (in == null) {
            notifyProblem("Nothing to edit yet: drop an image on the panel, open one (Open…) or paste one (Ctrl+V).",
                    "image", null);
            return;
        }
        EditTask t = task.get();
        MaskModel m = mask.get();
        if (t == EditTask.INPAINT && m.count() == 0) {
            notifyProblem("The mask is empty: paint over the part to regenerate first (Invert marks everything).",
                    "mask", null);
            return;
        }
        if (t == EditTask.STROKE && m.paintCount() == 0) {
            notifyProblem("No strokes yet: pick a " + (channels.get() == 1 ? "grey level" : "colour") + " and paint "
                    + "rough shapes over the input; the model turns them into a plausible image.", "mask", null);
            return;
        }
        EditingRequest request;
        try {
            request = request(t, in, m);
        } catch (AtelierException e) {
            notifyProblem(e.getMessage(), e.field(), null);
            return;
        }
        problem.set(null);
        problemField.set(null);
        float[] before = t == EditTask.STROKE ? strokeImage(in, m) : in.pixels();
        jobs.<ImageResult, SampleProgress>submit(TASK_NAMES.get(t), (owner, fx, listener) -> services.editing().submit(owner,
                request, fx, listener), null, result -> show(before, result));
    }

    /**
     * @return the input with the stroke layer painted over it: C·S·S values in [−1, 1], read back from the S×S
     *     8-bit picture as the service reads it (as {@link InputImage} does), so they are what the model gets
     */
    static float[] strokeImage(InputImage in, MaskModel m) {
        float[] px = in.pixels().clone();
        int plane = in.size() * in.size();
        int[] paint = m.paint();
        for (int p = 0; p < plane; p++) {
            if (paint[p] != 0) {
                for (int c = 0; c < in.channels(); c++) {
                    int level = in.channels() == 1 ? grey(paint[p]) : paint[p] >> (16 - 8 * c) & 0xff;
                    px[c * plane + p] = level / 127.5f - 1f;
                }
            }
        }
        return ImageFiles.fromImage(PngImages.grid(px, 1, in.channels(), in.size(), 0), in.size(), in.channels())
                .pixels();
    }

    /** @return the grey level of a colour: its green, which a grey (R = G = B) level picker sets to all three */
    private static int grey(int rgb) {
        return rgb >> 8 & 0xff;
    }

    private EditingRequest request(EditTask t, InputImage in, MaskModel m) {
        ImageInput image = ImageInput.of(t == EditTask.STROKE
                ? PngImages.grid(strokeImage(in, m), 1, in.channels(), in.size(), 0) : in.picture());
        Long seedArg = randomSeed.get() ? null : seed.get();
        int n = count.get();
        Double w = guidable.get() ? guidance.get() : null; // null: the task's default weight
        Schedule schedule = new Schedule(steps.get(), null, w); // null steps: the model's tuned default for the task
        String name = modelInUse;
        return switch (t) {
            case INPAINT -> new EditingRequest.Inpaint(name, image, new MaskInput.Painted(m.mask(), m.size(), m.size()),
                    seedArg, n, schedule, null);
            case COLORIZE -> new EditingRequest.Colorize(name, image, seedArg, n, schedule, null);
            case SUPERRES -> new EditingRequest.Superres(name, image, patch.get(), seedArg, n, schedule, null);
            case DENOISE -> new EditingRequest.Denoise(name, image, sigma.get(), null);
            case STROKE -> new EditingRequest.Stroke(name, image, seedArg, n, new Schedule(null, null, w), null);
            default -> throw new IllegalArgumentException("not a panel task: " + t);
        };
    }

    private void show(float[] before, ImageResult r) {
        long[] seeds = r.seeds();
        String parameters = r.settings().toJson();
        String ran = r.settings() instanceof EditRequest e ? e.task() + ", σ " + sigmaList(e.sigmas().stream()
                .mapToDouble(Double::doubleValue).toArray()) + dev.atelier.ui.common.GuidanceControl.suffix(
                e.guidanceWeight()) : "";
        List<EditResult> made = new java.util.ArrayList<>();
        for (int i = 0; i < r.count(); i++) {
            made.add(new EditResult(before, r.image(i), r.channels(), r.size(), seeds[i],
                    r.labels() == null ? -1 : r.labels()[i], parameters, ran));
        }
        results.setAll(made);
        selected.set(made.get(0));
        if (randomSeed.get() && task.get() != EditTask.DENOISE) {
            seed.set(seeds[0]);
        }
        status.set(String.format(java.util.Locale.ROOT, "%d result%s in %.2f s", r.count(), r.count() == 1 ? "" : "s",
                r.seconds()));
    }

    /** @return noise levels as the panel shows them: "80.0, 10.0, 0.500" */
    static String sigmaList(double[] sigmas) {
        return java.util.Arrays.stream(sigmas).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.3g", v))
                .collect(Collectors.joining(", "));
    }

    /** Cancels this panel's job, if any (Esc); other panels' jobs go on. */
    public void cancel() {
        jobs.cancel();
    }

    /**
     * Run, or Cancel once the job has run for {@link dev.atelier.ui.common.Grace#DELAY_MS} (then the button says so):
     * the button does what it shows (Esc cancels at once, grace or not).
     */
    public void runOrCancel() {
        if (runningShown.get()) {
            cancel();
        } else {
            run();
        }
    }

    // ---- results ------------------------------------------------------------------------------------------

    /** Makes the selected result the new input (iterate); the mask is kept. */
    public void useResultAsInput() {
        EditResult r = selected.get();
        if (r == null) {
            return;
        }
        boolean[] keep = mask.get().mask();
        BufferedImage picture = PngImages.grid(r.after(), 1, r.channels(), r.size(), 0);
        try {
            InputImage in = InputImage.fit(picture, "result, seed " + r.seed(), r.size(), r.channels());
            input.set(in);
            mask.get().reset(keep);
        } catch (AtelierException e) {
            notifyProblem(e.getMessage(), null, null);
        }
    }

    /** Saves the selected result as PNG with its parameters in the {@code atelier} text chunk. */
    public void saveResult(Path file) {
        EditResult r = selected.get();
        if (r == null) {
            return;
        }
        try {
            ImageActions.savePng(image(r), r.parameters(), file);
            status.set("Saved " + file.getFileName());
        } catch (AtelierException e) {
            notifyProblem(e.getMessage(), null, null);
        }
    }

    /** Puts the selected result on the system clipboard (as an image, at the model's size). */
    public void copyResult() {
        EditResult r = selected.get();
        if (r == null) {
            return;
        }
        ImageActions.copy(image(r));
        status.set("Copied the result (seed " + r.seed() + ")");
    }

    /** @return the result as an FX image, 8 bits as a saved PNG holds them */
    private static javafx.scene.image.WritableImage image(EditResult r) {
        return PixelImages.fromModel(r.after(), 0, r.channels(), r.size());
    }

    /** @return one line about a result: seed, class, task and the σ list that ran */
    public String describe(EditResult r) {
        if (r == null) {
            return "No result yet.";
        }
        StringBuilder b = new StringBuilder("Seed " + r.seed());
        if (r.label() >= 0 && r.label() < classes.size()) {
            b.append(" · class ").append(classes.get(r.label()));
        }
        return b.append(" · ").append(r.ran()).toString();
    }

    // ---- properties ---------------------------------------------------------------------------------------

    /** @return the input image, or null before the first import */
    public ReadOnlyObjectProperty<InputImage> inputProperty() {
        return input.getReadOnlyProperty();
    }

    /** @return the mask of the current input (replaced when the model's size changes) */
    public ReadOnlyObjectProperty<MaskModel> maskProperty() {
        return mask.getReadOnlyProperty();
    }

    /** @return a counter that moves on every mask change (views redraw on it) */
    public ReadOnlyIntegerProperty maskVersionProperty() {
        return maskVersion.getReadOnlyProperty();
    }

    /** @return true while an import is being decoded */
    public ReadOnlyBooleanProperty importingProperty() {
        return importing.getReadOnlyProperty();
    }

    /** @return the model's name or path */
    public StringProperty modelProperty() {
        return model;
    }

    /** @return the model's side S */
    public IntegerProperty sizeProperty() {
        return size;
    }

    /** @return the model's channel count */
    public IntegerProperty channelsProperty() {
        return channels;
    }

    /** @return the edit task */
    public ObjectProperty<EditTask> taskProperty() {
        return task;
    }

    /** @return f evaluations, or null for the task's default schedule (the model's {@code edit_schedules}) */
    public ObjectProperty<Integer> stepsProperty() {
        return steps;
    }

    /** @return the σ list the current task runs by default with this model, or null if unknown (and for denoise) */
    public ReadOnlyObjectProperty<double[]> taskDefaultProperty() {
        return taskDefault.getReadOnlyProperty();
    }

    /** @return the chosen class-guidance weight, 0…10; null while the task's default applies */
    public ObjectProperty<Double> guidanceProperty() {
        return guidance;
    }

    /** @return the current task's default guidance weight with this model (its manifest's; 0 if none) */
    public javafx.beans.property.ReadOnlyDoubleProperty guidanceDefaultProperty() {
        return guidanceDefault.getReadOnlyProperty();
    }

    /** @return true when the model can be class-guided and the task takes guidance (not denoise) */
    public ReadOnlyBooleanProperty guidableProperty() {
        return guidable.getReadOnlyProperty();
    }

    /** @return why guidance does not apply now (null when it does) */
    public javafx.beans.property.ReadOnlyStringProperty unguidableReasonProperty() {
        return unguidableReason.getReadOnlyProperty();
    }

    /** @return true for a new random seed each run, false to reuse {@link #seedProperty()} */
    public BooleanProperty randomSeedProperty() {
        return randomSeed;
    }

    /** @return the seed (of the last run, or the one to reuse) */
    public LongProperty seedProperty() {
        return seed;
    }

    /** @return brush radius in model pixels */
    public DoubleProperty brushProperty() {
        return brush;
    }

    /** @return true when the brush erases (keeps pixels) */
    public BooleanProperty eraserProperty() {
        return eraser;
    }

    /** @return stroke-guided editing: the brush colour, 0xRRGGBB (R = G = B for a grey model) */
    public IntegerProperty strokeColourProperty() {
        return strokeColour;
    }

    /** @return mask overlay opacity, 0..1 */
    public DoubleProperty overlayProperty() {
        return overlay;
    }

    /** @return denoise: the input's noise level */
    public DoubleProperty sigmaProperty() {
        return sigma;
    }

    /** @return super-resolution: the patch side */
    public IntegerProperty patchProperty() {
        return patch;
    }

    /** @return the last problem shown, or null */
    public StringProperty problemProperty() {
        return problem;
    }

    /** @return the field key of the last problem (e.g. "task", "steps", "mask"), or null */
    public StringProperty problemFieldProperty() {
        return problemField;
    }

    /** @return the consistency models to choose from */
    public ObservableList<String> models() {
        return models;
    }

    /** @return the patch sides that divide the model's size */
    public ObservableList<Integer> patchChoices() {
        return patchChoices;
    }

    /** @return true while this panel's job is queued or running */
    public ReadOnlyBooleanProperty runningProperty() {
        return jobs.busyProperty();
    }

    /**
     * @return {@link #runningProperty()} once the job has lasted {@link dev.atelier.ui.common.Grace#DELAY_MS}: what
     *     the view shows (Cancel, the progress bar), so that a short job repaints nothing while it runs
     */
    public ReadOnlyBooleanProperty runningShownProperty() {
        return runningShown;
    }

    /** @return the running job's progress (−1 indeterminate) */
    public DoubleProperty progressProperty() {
        return jobs.progressProperty();
    }

    /** @return the number of results per run */
    public IntegerProperty countProperty() {
        return count;
    }

    /** @return the panel's status line: the job's message or the last outcome */
    public StringProperty statusProperty() {
        return status;
    }

    /** @return the results of the last run */
    public ObservableList<EditResult> results() {
        return results;
    }

    /** @return the result shown in the compare view */
    public ObjectProperty<EditResult> selectedProperty() {
        return selected;
    }
}
