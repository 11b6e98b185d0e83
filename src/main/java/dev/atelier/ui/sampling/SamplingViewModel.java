package dev.atelier.ui.sampling;

import dev.atelier.AtelierException;
import dev.atelier.app.EditingRequest;
import dev.atelier.app.ImageResult;
import dev.atelier.app.ModelDescription;
import dev.atelier.app.SampleProgress;
import dev.atelier.app.SamplingRequest;
import dev.atelier.app.Schedule;
import dev.atelier.app.Services;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.consistency.SigmaSchedule;
import dev.atelier.image.PngImages;
import dev.atelier.runtime.JobHandle;
import dev.atelier.base.ModelFileKind;
import dev.atelier.ui.common.GuidanceControl;
import dev.atelier.ui.common.ImageActions;
import dev.atelier.ui.common.JobsViewModel;
import dev.atelier.ui.common.PixelImages;
import dev.atelier.ui.common.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import javafx.util.Duration;

/**
 * The Sampling panel's state and actions. The view binds to the properties; every model call runs as a job
 * on the inference lane, and results come back on the FX thread. Cancel (and Esc) stop only this panel's
 * jobs.
 *
 * <p>The step slider: while it is dragged, {@link #stepsDragged(int)} runs a cheap preview (the first
 * {@value #PREVIEW_IMAGES} images) after a short pause, latest wins; when it is released (or after a
 * keyboard change settles) {@link #stepsCommitted(int)} runs the whole batch once again with the same seeds.
 */
public final class SamplingViewModel {
    /** The choice of the class picker that draws a class per image from its seed. */
    public static final String RANDOM_CLASS = "random";
    /** The most images one run makes. */
    public static final int MAX_COUNT = 256;
    /** How many images a drag preview computes. */
    public static final int PREVIEW_IMAGES = 4;
    /** Pause after the last drag movement before a preview starts. */
    static final Duration PREVIEW_DELAY = Duration.millis(40);
    /** Pause after the last keyboard change of the slider before the batch is resampled. */
    static final Duration KEY_SETTLE_DELAY = Duration.millis(300);

    private final Services services;
    private final JobsViewModel jobs;
    private final Settings.SamplingSettings settings;
    private final Runnable persist;
    private final SampleHistory historyStore;

    private final ObservableList<String> models = FXCollections.observableArrayList();
    private final StringProperty model = new SimpleStringProperty(this, "model");
    private final ReadOnlyObjectWrapper<ModelDescription> modelInfo = new ReadOnlyObjectWrapper<>(this, "modelInfo");
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 2);
    private final IntegerProperty maxSteps = new SimpleIntegerProperty(this, "maxSteps", SigmaSchedule.MAX_STEPS);
    private final LongProperty seed = new SimpleLongProperty(this, "seed");
    private final BooleanProperty randomSeed = new SimpleBooleanProperty(this, "randomSeed", true);
    private final IntegerProperty count = new SimpleIntegerProperty(this, "count", 16);
    private final ObservableList<String> classChoices = FXCollections.observableArrayList(RANDOM_CLASS);
    private final StringProperty classChoice = new SimpleStringProperty(this, "classChoice", RANDOM_CLASS);
    private final BooleanProperty compare = new SimpleBooleanProperty(this, "compare");
    /** the chosen class-guidance weight; null: the model's default */
    private final ObjectProperty<Double> guidance = new SimpleObjectProperty<>(this, "guidance");
    private final javafx.beans.binding.BooleanBinding guidable = javafx.beans.binding.Bindings.createBooleanBinding(
            () -> modelInfo.get() != null && modelInfo.get().guidable(), modelInfo);
    private final javafx.beans.binding.DoubleBinding guidanceDefault = javafx.beans.binding.Bindings.createDoubleBinding(
            () -> modelInfo.get() == null ? 0 : modelInfo.get().guidance(), modelInfo);
    private final javafx.beans.binding.StringBinding unguidableReason = javafx.beans.binding.Bindings
            .createStringBinding(() -> modelInfo.get() == null ? "no model is loaded yet."
                    : modelInfo.get().unguidableReason(), modelInfo);
    private final BooleanProperty interpolate = new SimpleBooleanProperty(this, "interpolate");
    private final LongProperty seedB = new SimpleLongProperty(this, "seedB", 1);
    private final IntegerProperty frame = new SimpleIntegerProperty(this, "frame");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanProperty runningShown = dev.atelier.ui.common.Grace.shown(running);
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ObservableList<SampleImage> results = FXCollections.observableArrayList();
    private final ObservableList<SampleImage> oneStepResults = FXCollections.observableArrayList();
    private final ObjectProperty<SampleImage> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObservableList<SampleHistory.Entry> history = FXCollections.observableArrayList();

    private final PauseTransition previewDelay = new PauseTransition(PREVIEW_DELAY);
    private final PauseTransition keySettle = new PauseTransition(KEY_SETTLE_DELAY);
    private BiConsumer<String, Throwable> notifier = (m, e) -> { };
    private final StringProperty problemField = new SimpleStringProperty(this, "problemField");
    private Consumer<SampleImage> sendToInpainting;
    /** What was asked for the results on screen (a SamplingRequest or an interpolation): slider changes redo it. */
    private Object shownAsk;
    /** What ran for the results on screen. */
    private GenerationRequest shownRequest;
    private double shownSeconds;
    private JobHandle<?> runJob;
    private JobHandle<?> previewJob;
    private int generation;
    private int runsCompleted;
    private int pendingDragSteps;
    private boolean loading;
    private boolean generateWhenLoaded;

    /**
     * @param services the studio's services (the only way to the models)
     * @param jobs this panel's jobs (owner "sampling")
     * @param settings this panel's settings (read now, updated as the user changes them)
     * @param persist saves the settings file
     * @param historyFile where the history strip is kept (null: not kept)
     */
    public SamplingViewModel(Services services, JobsViewModel jobs, Settings.SamplingSettings settings,
            Runnable persist, Path historyFile) {
        this.services = services;
        this.jobs = jobs;
        this.settings = settings;
        this.persist = persist;
        this.historyStore = new SampleHistory(historyFile);
        jobs.setFailureSink((message, error) -> notifyProblem(message,
                error instanceof AtelierException a ? a.field() : null, error));
        history.setAll(historyStore.load());
        for (String name : dev.atelier.base.ModelLocator.shippedNames()) {
            try {
                if (ModelDescription.CONSISTENCY.equals(services.catalogue().describe(name).kind())) {
                    models.add(name);
                }
            } catch (AtelierException e) {
                // a broken shipped manifest is reported when it is chosen, not listed
            }
        }
        steps.set(Math.max(1, Math.min(SigmaSchedule.MAX_STEPS, settings.steps)));
        seed.set(settings.seed);
        randomSeed.set(settings.randomSeed);
        count.set(Math.max(1, Math.min(MAX_COUNT, settings.count)));
        classChoice.set(settings.classChoice == null ? RANDOM_CLASS : settings.classChoice);
        compare.set(settings.compare);
        guidance.set(settings.guidance == null || !(settings.guidance >= 0) ? null
                : Math.min(dev.atelier.consistency.GuidedModel.MAX_WEIGHT, settings.guidance));
        if (settings.model != null && !models.contains(settings.model)) {
            models.add(settings.model);
        }
        model.set(settings.model != null ? settings.model : models.isEmpty() ? null : models.get(0));
        steps.addListener((o, a, b) -> store(s -> s.steps = b.intValue()));
        seed.addListener((o, a, b) -> store(s -> s.seed = b.longValue()));
        randomSeed.addListener((o, a, b) -> store(s -> s.randomSeed = b));
        count.addListener((o, a, b) -> store(s -> s.count = b.intValue()));
        classChoice.addListener((o, a, b) -> store(s -> s.classChoice = b));
        compare.addListener((o, a, b) -> store(s -> s.compare = b));
        guidance.addListener((o, a, b) -> store(s -> s.guidance = b));
        previewDelay.setOnFinished(e -> startPreview(pendingDragSteps));
        keySettle.setOnFinished(e -> stepsCommitted(steps.get()));
        frame.addListener((o, a, b) -> {
            if (interpolate.get() && b.intValue() >= 0 && b.intValue() < results.size()) {
                selected.set(results.get(b.intValue()));
            }
        });
    }

    private void store(Consumer<Settings.SamplingSettings> change) {
        change.accept(settings);
        persist.run();
    }

    /** Loads the model named in the settings (or the first shipped one); call once the window is up. */
    public void start() {
        if (model.get() != null) {
            selectModel(model.get());
        }
    }

    // ---- model --------------------------------------------------------------------------------------------

    /**
     * Switches to a model: its manifest is read at once, then one image is made on the lane to load it (into the
     * lane's cache) and prove it works. Only then does the form follow it; if it cannot be read or run, a
     * notification names the problem and the previous model stays.
     *
     * @param spec a shipped name, a model directory or a TorchScript file next to its manifest.json
     */
    public void selectModel(String spec) {
        ModelDescription previous = modelInfo.get();
        ModelDescription d;
        try {
            d = services.catalogue().describe(spec);
            if (!ModelDescription.CONSISTENCY.equals(d.kind())) {
                throw new AtelierException("The model " + spec + " is a " + d.kind() + " model, not a consistency "
                        + "model. Choose an image model here (language models belong to the Text panel).");
            }
        } catch (AtelierException e) {
            notifyProblem(e.getMessage(), e.field() != null ? e.field() : "model", null);
            model.set(previous == null ? null : previous.name());
            return;
        }
        loading = true;
        SamplingRequest probe = new SamplingRequest(spec, 0L, 1, 1, null);
        jobs.<ImageResult, SampleProgress>submit("Loading model " + spec + "…", "Loaded model " + spec,
                (o, fx, l) -> services.sampling().submit(o, probe, fx, l), null, r -> {
                    modelInfo.set(d);
                    if (!models.contains(spec)) {
                        models.add(spec);
                    }
                    model.set(spec);
                    maxSteps.set(d.maxSteps());
                    steps.set(Math.min(d.maxSteps(), Math.max(1, steps.get())));
                    List<String> choices = new ArrayList<>();
                    if (d.conditional()) {
                        choices.add(RANDOM_CLASS);
                        choices.addAll(d.classes());
                    }
                    classChoices.setAll(choices);
                    if (!choices.contains(classChoice.get())) {
                        classChoice.set(choices.isEmpty() ? null : RANDOM_CLASS);
                    }
                    if (previous == null || !previous.name().equals(spec)) {
                        shownAsk = null;
                    }
                    store(s -> s.model = spec);
                    loading = false;
                    if (generateWhenLoaded) {
                        generateWhenLoaded = false;
                        generate();
                    }
                }).result().whenComplete((r, error) -> {
                    if (error != null) { // success is handled above, after the form has the new model
                        Platform.runLater(() -> {
                            loading = false;
                            generateWhenLoaded = false;
                            model.set(previous == null ? null : previous.name());
                        });
                    }
                });
    }

    /** Opens a model directory or TorchScript file (Open model… and a dropped model). */
    public void openModel(Path path) {
        selectModel(path.toAbsolutePath().toString());
    }

    // ---- runs ---------------------------------------------------------------------------------------------

    /** Generate (Ctrl+Enter): a new run with the form's settings; a new random seed first in random mode. */
    public void generate() {
        if (modelInfo.get() == null) {
            if (loading) {
                generateWhenLoaded = true;
            } else {
                notifyProblem("No model is loaded. Choose a model (or drop one on the panel), then Generate.", "model",
                        null);
            }
            return;
        }
        if (randomSeed.get()) {
            seed.set(ThreadLocalRandom.current().nextLong(0, 1L << 31));
        }
        Object ask;
        try {
            ask = formRequest(steps.get());
        } catch (AtelierException e) {
            notifyProblem(e.getMessage(), e.field(), null);
            return;
        }
        run(ask);
    }

    /**
     * Generate, or Cancel once a run has been running for {@link dev.atelier.ui.common.Grace#DELAY_MS} (then the
     * button says so): the button and Ctrl+Enter do what the button shows.
     */
    public void generateOrCancel() {
        if (runningShown.get()) {
            cancel();
        } else {
            generate();
        }
    }

    /** Stops this panel's running and queued jobs and its pending slider resample (Esc); other panels go on. */
    public void cancel() {
        previewDelay.stop();
        keySettle.stop();
        generateWhenLoaded = false;
        jobs.cancel();
    }

    /** The slider is being dragged to {@code value}: a cheap preview after a short pause, latest wins. */
    public void stepsDragged(int value) {
        keySettle.stop();
        if (shownAsk == null) {
            return;
        }
        pendingDragSteps = value;
        previewDelay.playFromStart();
    }

    /** The slider changed by keyboard or a click: resample once the changes settle. */
    public void stepsKeyed() {
        keySettle.playFromStart();
    }

    /**
     * The slider was released at {@code value}: resample the shown results with the same seeds (once; nothing
     * runs if they were already made with this step count).
     */
    public void stepsCommitted(int value) {
        previewDelay.stop();
        keySettle.stop();
        if (previewJob != null) {
            previewJob.cancel();
        }
        if (shownAsk != null && (shownRequest.sigmas().size() != value || running.get())) {
            run(withSteps(shownAsk, value)); // first: the settings file is written while the lane works
        }
        steps.set(value);
    }

    private Object formRequest(int k) {
        ModelDescription d = modelInfo.get();
        String label = classLabel(d);
        if (interpolate.get()) { // the weight shown: an interpolation's own default would be none
            return new EditingRequest.Interpolate(d.name(), seed.get(), seedB.get(), Math.max(2, count.get()),
                    new Schedule(k, null, d.guidable() ? effectiveGuidance() : null), label);
        }
        return new SamplingRequest(d.name(), seed.get(), count.get(), k, label, d.guidable() ? guidance.get() : null);
    }

    /** @return the class-guidance weight the next run uses: the chosen one, else the model's default; 0 if none */
    public double effectiveGuidance() {
        ModelDescription d = modelInfo.get();
        return d == null || !d.guidable() ? 0 : guidance.get() != null ? guidance.get() : d.guidance();
    }

    private String classLabel(ModelDescription d) {
        String c = classChoice.get();
        return !d.conditional() || c == null || RANDOM_CLASS.equals(c) ? null : c;
    }

    /** The same request (seeds, count, class) with another step count. */
    private static Object withSteps(Object ask, int k) {
        if (ask instanceof SamplingRequest s) {
            return new SamplingRequest(s.model(), s.seed(), s.count(), k, s.classLabel(), s.guidance());
        }
        EditingRequest.Interpolate i = (EditingRequest.Interpolate) ask;
        return new EditingRequest.Interpolate(i.model(), i.seedA(), i.seedB(), i.frames(),
                new Schedule(k, null, i.schedule().guidance()), i.classLabel());
    }

    private static int count(Object ask) {
        return ask instanceof SamplingRequest s ? s.count() : ((EditingRequest.Interpolate) ask).frames();
    }

    private static int stepsOf(Object ask) {
        return ask instanceof SamplingRequest s ? s.steps() : ((EditingRequest.Interpolate) ask).schedule().steps();
    }

    /** Submits a request to the sampling or editing service for this panel. */
    private JobHandle<ImageResult> submit(String title, Object ask, Consumer<SampleProgress> onPartial,
            Consumer<ImageResult> onSuccess) {
        if (ask instanceof SamplingRequest s) {
            return jobs.submit(title, (o, fx, l) -> services.sampling().submit(o, s, fx, l), onPartial, onSuccess);
        }
        EditingRequest e = (EditingRequest) ask;
        return jobs.submit(title, (o, fx, l) -> services.editing().submit(o, e, fx, l), onPartial, onSuccess);
    }

    private void run(Object ask) {
        previewDelay.stop();
        if (previewJob != null) {
            previewJob.cancel();
        }
        if (runJob != null) {
            runJob.cancel();
        }
        int myGeneration = ++generation;
        problemField.set(null);
        boolean withOneStep = compare.get() && stepsOf(ask) > 1;
        running.set(true);
        progress.set(0);
        int k = stepsOf(ask);
        String title = (ask instanceof SamplingRequest ? "Sampling " + count(ask) + " images" : "Interpolating "
                + count(ask) + " frames") + ", " + k + " step" + (k == 1 ? "" : "s");
        runJob = submit(title + "…", ask,
                p -> {
                    if (myGeneration == generation) {
                        progress.set((double) p.step() / p.total());
                        if (p.step() < p.total()) { // the last step's images are the result, shown next
                            showPartial(p.preview());
                        }
                    }
                },
                result -> {
                    if (myGeneration != generation) {
                        return;
                    }
                    show(ask, result);
                    if (withOneStep) { // the same seeds at one step, beside them (one cheap job after this one)
                        runJob = submit("One step, for comparison…", withSteps(ask, 1), null, one -> {
                            if (myGeneration == generation) {
                                oneStepResults.setAll(images(one));
                                running.set(false);
                                progress.set(0);
                            }
                        });
                        endOnFailure(runJob, myGeneration);
                    } else {
                        oneStepResults.clear();
                        running.set(false);
                        progress.set(0);
                    }
                });
        endOnFailure(runJob, myGeneration);
    }

    /** A failed or cancelled job ends the run (success ends it in its callback, once the results are shown). */
    private void endOnFailure(JobHandle<?> handle, int myGeneration) {
        handle.result().whenComplete((v, e) -> {
            if (e != null) {
                Platform.runLater(() -> {
                    if (myGeneration == generation) {
                        running.set(false);
                        progress.set(0);
                    }
                });
            }
        });
    }

    private void startPreview(int k) {
        if (!(shownAsk instanceof SamplingRequest s)) {
            return; // interpolation frames are cheap to scrub but not previewed
        }
        if (running.get() && runJob != null) {
            runJob.cancel(); // the user is choosing another step count: the running batch is obsolete
        }
        SamplingRequest preview = new SamplingRequest(s.model(), s.seed(), Math.min(PREVIEW_IMAGES, s.count()), k,
                s.classLabel(), s.guidance());
        if (previewJob != null) {
            previewJob.cancel();
        }
        int myGeneration = generation;
        previewJob = submit("Preview, " + k + " steps…", preview, null, r -> {
            if (myGeneration == generation) {
                showPartial(r.pixels());
                summary.set("Preview: " + k + " step" + (k == 1 ? "" : "s") + " (first " + preview.count()
                        + " images); release the slider to resample all " + s.count() + ".");
            }
        });
    }

    // ---- results ------------------------------------------------------------------------------------------

    private void showPartial(float[] current) {
        ModelDescription d = modelInfo.get();
        int n = Math.min(results.size(), current.length / (d.channels() * d.size() * d.size()));
        for (int i = 0; i < n; i++) {
            SampleImage old = results.get(i);
            results.set(i, new SampleImage(PixelImages.fromModel(current, i, d.channels(), d.size()), old.seed(),
                    old.classLabel(), old.className(), old.parameters(), old.caption()));
        }
    }

    private void show(Object ask, ImageResult out) {
        List<SampleImage> images = images(out);
        runsCompleted++; // before the lists change, so listeners can tell a finished run from a live preview
        shownAsk = ask;
        shownRequest = out.settings();
        shownSeconds = out.seconds();
        results.setAll(images);
        int k = out.settings().sigmas().size();
        if (steps.get() != k) {
            steps.set(k);
        }
        int frames = images.size();
        frame.set(Math.max(0, Math.min(frame.get(), frames - 1)));
        selected.set(interpolate.get() ? images.get(frame.get()) : images.get(0));
        summary.set(String.format(Locale.ROOT, "%d image%s in %.2f s (%.1f images/s) · %d step%s · σ %s%s", frames,
                frames == 1 ? "" : "s", out.seconds(), frames / Math.max(out.seconds(), 1e-9), k, k == 1 ? "" : "s",
                sigmaList(out.settings().sigmas()), GuidanceControl.suffix(out.settings().guidanceWeight())));
        addHistory(out, images.get(0).image());
    }

    /** @return the σ list as the user reads it, e.g. "80, 0.8" */
    static String sigmaList(List<Double> sigmas) {
        List<String> parts = new ArrayList<>();
        for (double v : sigmas) {
            parts.add(v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v));
        }
        return String.join(", ", parts);
    }

    private List<SampleImage> images(ImageResult out) {
        GenerationRequest r = out.settings();
        List<String> classes = modelInfo.get().classes();
        long[] seeds = out.seeds();
        int k = r.sigmas().size();
        List<SampleImage> list = new ArrayList<>(seeds.length);
        for (int i = 0; i < seeds.length; i++) {
            Integer label = out.labels() == null ? null : out.labels()[i];
            String name = label == null ? null : label < classes.size() ? classes.get(label) : "class " + label;
            GenerationRequest single;
            String caption;
            if (r instanceof SampleRequest s) {
                single = new SampleRequest(s.model(), seeds[i], 1, s.sigmas(), s.classLabel(), s.guidance());
                caption = "seed " + seeds[i] + (name == null ? "" : " · " + name) + " · " + k + " step" + (k == 1 ? ""
                        : "s") + GuidanceControl.suffix(s.guidanceWeight());
            } else {
                EditRequest e = (EditRequest) r;
                single = e;
                caption = String.format(Locale.ROOT, "frame %d of %d · seeds %d → %d · t = %.2f%s · %d step%s%s", i + 1,
                        seeds.length, e.seedA(), e.seedB(), seeds.length == 1 ? 0.0 : (double) i / (seeds.length - 1),
                        name == null ? "" : " · " + name, k, k == 1 ? "" : "s",
                        GuidanceControl.suffix(e.guidanceWeight()));
            }
            list.add(new SampleImage(PixelImages.fromModel(out.pixels(), i, out.channels(), out.size()), seeds[i], label,
                    name, single, caption));
        }
        return list;
    }

    private void addHistory(ImageResult out, Image first) {
        byte[] thumb = PngImages.encode(PixelImages.toAwt(first), null);
        SampleHistory.Entry entry = new SampleHistory.Entry(out.settings().toJson(), thumb, out.seconds());
        history.setAll(historyStore.add(history, entry, e -> Platform.runLater(() -> notify("The history "
                + "could not be saved (" + e.getMessage() + "); it is kept until you close Atelier. Check that the "
                + "settings folder is writable."))));
    }

    /** Puts a history entry's settings back into the form (and its run on screen is remade by Generate). */
    public void restore(SampleHistory.Entry entry) {
        restore(GenerationRequest.fromJson(entry.parameters()));
    }

    /**
     * A file dropped on the panel: a PNG restores its settings, a directory or TorchScript file opens as the
     * model; anything else is refused with a notification and nothing changes.
     *
     * @return true if the drop was taken
     */
    public boolean drop(Path file) {
        if (Files.isDirectory(file)) {
            openModel(file);
            return true;
        }
        ModelFileKind kind;
        try {
            if (isPng(file)) {
                return restoreFromPng(file);
            }
            kind = ModelFileKind.of(file);
        } catch (IOException e) {
            notify("The dropped file " + file.getFileName() + " cannot be read (" + e.getMessage() + ").");
            return false;
        }
        if (kind == ModelFileKind.TORCHSCRIPT) {
            openModel(file);
            return true;
        }
        notify("The dropped file " + file.getFileName() + " is neither a model (a model folder or a "
                + "TorchScript file next to its manifest.json) nor a PNG made by Atelier. Nothing was changed.");
        return false;
    }

    private static boolean isPng(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
        }
    }

    /** Shows a message in the window's notification bar. */
    public void notify(String message) {
        notifier.accept(message, null);
    }

    /**
     * Shows a problem: a notification (with the error's details, if any) and the field key of the control to
     * highlight (or null).
     */
    void notifyProblem(String message, String field, Throwable error) {
        problemField.set(field);
        notifier.accept(message, error);
    }

    /**
     * Restores the settings a PNG made by Atelier carries (dropped on the panel).
     *
     * @return true if the settings were restored; otherwise a notification says why
     */
    public boolean restoreFromPng(Path file) {
        try {
            GenerationRequest r = PngImages.readRequest(file);
            restore(r);
            return true;
        } catch (AtelierException e) {
            notifyProblem(e.getMessage(), e.field(), null);
            return false;
        }
    }

    /**
     * Puts the request's settings into the form: model, steps, seed (reuse mode), count, class and guidance (none
     * for settings written before guidance existed).
     */
    public void restore(GenerationRequest r) {
        if (!(r instanceof SampleRequest) && !(r instanceof EditRequest e && "interpolate".equals(e.task()))) {
            throw new AtelierException("This image was made by the " + r.task() + " edit, not by sampling. Drop it on "
                    + "the Inpainting panel instead.");
        }
        randomSeed.set(false);
        seed.set(r.seed());
        steps.set(Math.max(1, Math.min(maxSteps.get(), r.sigmas().size())));
        guidance.set(r.guidanceWeight());
        if (r instanceof SampleRequest s) {
            interpolate.set(false);
            count.set(Math.max(1, Math.min(MAX_COUNT, s.count())));
        } else {
            EditRequest e = (EditRequest) r;
            interpolate.set(true);
            seed.set(e.seedA());
            seedB.set(e.seedB());
            count.set(e.count());
        }
        Runnable setClass = () -> {
            ModelDescription info = modelInfo.get();
            classChoice.set(r.classLabel() == null || info == null || r.classLabel() >= info.classes().size()
                    ? RANDOM_CLASS : info.classes().get(r.classLabel()));
        };
        if (modelInfo.get() == null || !modelInfo.get().name().equals(r.model())) {
            // the class names come from the model: set the class once it has loaded
            modelInfo.addListener(new javafx.beans.value.ChangeListener<ModelDescription>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends ModelDescription> o,
                        ModelDescription was, ModelDescription now) {
                    modelInfo.removeListener(this);
                    setClass.run();
                }
            });
            selectModel(r.model());
        } else {
            setClass.run();
        }
    }

    /**
     * Saves one result as a PNG with the parameters that reproduce it.
     *
     * @throws AtelierException if the file cannot be written
     */
    public void save(SampleImage image, Path file) {
        ImageActions.savePng(image.image(), image.parameters().toJson(), file);
    }

    /** Copies one result to the clipboard. */
    public void copy(SampleImage image) {
        ImageActions.copy(image.image());
    }

    /** Sends one result to the Inpainting panel (the window wires the target). */
    public void sendToInpainting(SampleImage image) {
        if (sendToInpainting == null) {
            notify("The Inpainting panel cannot take images yet.");
            return;
        }
        sendToInpainting.accept(image);
    }

    /** @param target receives "send to Inpainting" (set by the window) */
    public void setSendToInpainting(Consumer<SampleImage> target) {
        this.sendToInpainting = target;
    }

    /** @param notifier shows a message (and the error behind it, or null) to the user (the notification bar) */
    public void setNotifier(BiConsumer<String, Throwable> notifier) {
        this.notifier = notifier;
    }

    // ---- properties ---------------------------------------------------------------------------------------

    public ObservableList<String> models() {
        return models;
    }

    public StringProperty modelProperty() {
        return model;
    }

    /** @return the loaded model's description (null until one has loaded) */
    public ReadOnlyObjectProperty<ModelDescription> modelInfoProperty() {
        return modelInfo.getReadOnlyProperty();
    }

    public IntegerProperty stepsProperty() {
        return steps;
    }

    public IntegerProperty maxStepsProperty() {
        return maxSteps;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public BooleanProperty randomSeedProperty() {
        return randomSeed;
    }

    public IntegerProperty countProperty() {
        return count;
    }

    public ObservableList<String> classChoices() {
        return classChoices;
    }

    public StringProperty classChoiceProperty() {
        return classChoice;
    }

    public BooleanProperty compareProperty() {
        return compare;
    }

    /** @return the chosen class-guidance weight, 0…10; null while the model's default applies */
    public ObjectProperty<Double> guidanceProperty() {
        return guidance;
    }

    /** @return the loaded model's default guidance weight (its manifest's "guidance"; 0 if none or none loaded) */
    public javafx.beans.binding.DoubleExpression guidanceDefaultProperty() {
        return guidanceDefault;
    }

    /** @return true when the loaded model can be class-guided (classes and a "no class") */
    public javafx.beans.binding.BooleanExpression guidableProperty() {
        return guidable;
    }

    /** @return why the loaded model cannot be guided (null when it can) */
    public javafx.beans.binding.StringExpression unguidableReasonProperty() {
        return unguidableReason;
    }

    public BooleanProperty interpolateProperty() {
        return interpolate;
    }

    public LongProperty seedBProperty() {
        return seedB;
    }

    /** @return the interpolation frame shown large (0 … count−1) */
    public IntegerProperty frameProperty() {
        return frame;
    }

    /** @return true while a run of this panel is queued or running */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /**
     * @return {@link #runningProperty()} once a run has lasted {@link dev.atelier.ui.common.Grace#DELAY_MS}: what the
     *     view shows (Cancel, the progress bar), so that a short run repaints nothing while it runs
     */
    public ReadOnlyBooleanProperty runningShownProperty() {
        return runningShown;
    }

    /** @return the running job's step fraction */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** @return after a run: its time, images/s and σ list */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** @return the results on screen, in seed order */
    public ObservableList<SampleImage> results() {
        return results;
    }

    /** @return with "compare" on: the same seeds at one step */
    public ObservableList<SampleImage> oneStepResults() {
        return oneStepResults;
    }

    /** @return the result shown large */
    public ObjectProperty<SampleImage> selectedProperty() {
        return selected;
    }

    /** @return past runs, newest first */
    public ObservableList<SampleHistory.Entry> history() {
        return history;
    }

    /** @return the field key of the last problem ("model", "steps", "count"…), or null once a run starts */
    public ReadOnlyStringProperty problemFieldProperty() {
        return problemField;
    }

    /** @return full runs finished since the panel was built (previews do not count) */
    public int runsCompleted() {
        return runsCompleted;
    }

    /** @return the sampler's own time (noise, forward passes, checks) for the results on screen, in seconds */
    public double shownSeconds() {
        return shownSeconds;
    }

    /** @return the request of the results on screen, or null */
    public GenerationRequest shownRequest() {
        return shownRequest;
    }
}
