package dev.atelier.ui.sampling;

import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.consistency.SigmaSchedule;
import dev.atelier.image.PngImages;
import dev.atelier.runtime.ConsistencyModels;
import dev.atelier.runtime.JobContext;
import dev.atelier.runtime.JobHandle;
import dev.atelier.runtime.LoadedConsistencyModel;
import dev.atelier.runtime.ModelFileKind;
import dev.atelier.runtime.ModelLocator;
import dev.atelier.runtime.ModelManifest;
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

    private final JobsViewModel jobs;
    private final Settings.SamplingSettings settings;
    private final Runnable persist;
    private final SampleHistory historyStore;

    private final ObservableList<String> models = FXCollections.observableArrayList();
    private final StringProperty model = new SimpleStringProperty(this, "model");
    private final ReadOnlyObjectWrapper<ModelInfo> modelInfo = new ReadOnlyObjectWrapper<>(this, "modelInfo");
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 2);
    private final IntegerProperty maxSteps = new SimpleIntegerProperty(this, "maxSteps", SigmaSchedule.MAX_STEPS);
    private final LongProperty seed = new SimpleLongProperty(this, "seed");
    private final BooleanProperty randomSeed = new SimpleBooleanProperty(this, "randomSeed", true);
    private final IntegerProperty count = new SimpleIntegerProperty(this, "count", 16);
    private final ObservableList<String> classChoices = FXCollections.observableArrayList(RANDOM_CLASS);
    private final StringProperty classChoice = new SimpleStringProperty(this, "classChoice", RANDOM_CLASS);
    private final BooleanProperty compare = new SimpleBooleanProperty(this, "compare");
    private final BooleanProperty interpolate = new SimpleBooleanProperty(this, "interpolate");
    private final LongProperty seedB = new SimpleLongProperty(this, "seedB", 1);
    private final IntegerProperty frame = new SimpleIntegerProperty(this, "frame");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ObservableList<SampleImage> results = FXCollections.observableArrayList();
    private final ObservableList<SampleImage> oneStepResults = FXCollections.observableArrayList();
    private final ObjectProperty<SampleImage> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObservableList<SampleHistory.Entry> history = FXCollections.observableArrayList();

    private final PauseTransition previewDelay = new PauseTransition(PREVIEW_DELAY);
    private final PauseTransition keySettle = new PauseTransition(KEY_SETTLE_DELAY);
    private Consumer<String> notifier = m -> { };
    private Consumer<SampleImage> sendToInpainting;
    /** Lane-thread only: the model the jobs run on. */
    private LoadedConsistencyModel loaded;
    /** Lane-thread only: the spec {@link #loaded} was opened from. */
    private String loadedSpec;
    /** The request of the results on screen: slider changes resample it with the same seeds. */
    private GenerationRequest shownRequest;
    private JobHandle<?> runJob;
    private JobHandle<?> previewJob;
    private int generation;
    private int runsCompleted;
    private int pendingDragSteps;
    private boolean loading;
    private boolean generateWhenLoaded;

    /**
     * @param jobs where jobs are submitted
     * @param settings this panel's settings (read now, updated as the user changes them)
     * @param persist saves the settings file
     * @param historyFile where the history strip is kept (null: not kept)
     */
    public SamplingViewModel(JobsViewModel jobs, Settings.SamplingSettings settings, Runnable persist,
            Path historyFile) {
        this.jobs = jobs;
        this.settings = settings;
        this.persist = persist;
        this.historyStore = new SampleHistory(historyFile);
        history.setAll(historyStore.load());
        for (String name : ModelLocator.shippedNames()) {
            try {
                if ("consistency".equals(ModelManifest.read(ModelLocator.modelsDir().resolve(name)).kind)) {
                    models.add(name);
                }
            } catch (AtelierException e) {
                // a broken shipped manifest is reported when it is chosen, not listed
            }
        }
        steps.set(Math.max(1, settings.steps));
        seed.set(settings.seed);
        randomSeed.set(settings.randomSeed);
        count.set(Math.max(1, Math.min(MAX_COUNT, settings.count)));
        classChoice.set(settings.classChoice == null ? RANDOM_CLASS : settings.classChoice);
        compare.set(settings.compare);
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
     * Loads a model on the lane. On success it becomes the panel's model and the form follows its manifest;
     * if it cannot be loaded, a notification names the problem and the previous model stays.
     *
     * @param spec a shipped name, a model directory or a TorchScript file next to its manifest.json
     */
    public void selectModel(String spec) {
        ModelInfo previous = modelInfo.get();
        loading = true;
        jobs.submit("sample-model", "Loading model " + spec + "…", ctx -> load(spec), null, info -> {
            modelInfo.set(info);
            if (!models.contains(spec)) {
                models.add(spec);
            }
            model.set(spec);
            maxSteps.set(info.maxSteps());
            if (!previous(previous, info)) {
                steps.set(Math.min(info.maxSteps(), Math.max(1, steps.get())));
            }
            List<String> choices = new ArrayList<>();
            if (!info.classes().isEmpty()) {
                choices.add(RANDOM_CLASS);
                choices.addAll(info.classes());
            }
            classChoices.setAll(choices);
            if (!choices.contains(classChoice.get())) {
                classChoice.set(choices.isEmpty() ? null : RANDOM_CLASS);
            }
            shownRequest = null;
            store(s -> s.model = spec);
            loading = false;
            if (generateWhenLoaded) {
                generateWhenLoaded = false;
                generate();
            }
        }).result().whenComplete((info, error) -> {
            if (error != null) { // success is handled above, after the form has the new model
                Platform.runLater(() -> {
                    loading = false;
                    generateWhenLoaded = false;
                    model.set(previous == null ? null : previous.spec());
                });
            }
        });
    }

    private static boolean previous(ModelInfo previous, ModelInfo now) {
        return previous != null && previous.spec().equals(now.spec());
    }

    /** Opens a model directory or TorchScript file (Open model… and a dropped model). */
    public void openModel(Path path) {
        selectModel(path.toAbsolutePath().toString());
    }

    /** Runs on the lane: opens the model, closing the one it replaces. */
    private ModelInfo load(String spec) {
        LoadedConsistencyModel next = ConsistencyModels.load(ModelLocator.resolve(spec));
        if (loaded != null) {
            loaded.close();
        }
        loaded = next;
        loadedSpec = spec;
        ModelManifest m = next.manifest();
        List<String> classes = new ArrayList<>();
        int n = next.model().numClasses();
        for (int i = 0; i < n; i++) {
            classes.add(m.classes != null && i < m.classes.size() ? m.classes.get(i) : "class " + i);
        }
        List<List<Double>> schedules = new ArrayList<>();
        for (int k = 1; k <= SigmaSchedule.MAX_STEPS; k++) {
            schedules.add(Arrays.stream(next.schedule(k)).boxed().toList());
        }
        return new ModelInfo(spec, m.name == null ? spec : m.name, next.model().size(), next.model().channels(),
                List.copyOf(classes), next.defaultSteps(), SigmaSchedule.MAX_STEPS, List.copyOf(schedules));
    }

    // ---- runs ---------------------------------------------------------------------------------------------

    /** Generate (Ctrl+Enter): a new run with the form's settings; a new random seed first in random mode. */
    public void generate() {
        if (modelInfo.get() == null) {
            if (loading) {
                generateWhenLoaded = true;
            } else {
                notifier.accept("No model is loaded. Choose a model (or drop one on the panel), then Generate.");
            }
            return;
        }
        if (randomSeed.get()) {
            seed.set(ThreadLocalRandom.current().nextLong(0, 1L << 31));
        }
        run(formRequest(steps.get()));
    }

    /** Generate while running: the button and Ctrl+Enter become Cancel. */
    public void generateOrCancel() {
        if (running.get()) {
            cancel();
        } else {
            generate();
        }
    }

    /** Stops this panel's running or queued jobs (Esc); other panels' jobs go on. */
    public void cancel() {
        previewDelay.stop();
        keySettle.stop();
        if (runJob != null) {
            runJob.cancel();
        }
        if (previewJob != null) {
            previewJob.cancel();
        }
    }

    /** The slider is being dragged to {@code value}: a cheap preview after a short pause, latest wins. */
    public void stepsDragged(int value) {
        keySettle.stop();
        if (shownRequest == null) {
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
        steps.set(value);
        if (shownRequest == null || shownRequest.sigmas().size() == value && !running.get()) {
            return;
        }
        run(withSteps(shownRequest, value));
    }

    private GenerationRequest formRequest(int k) {
        ModelInfo info = modelInfo.get();
        Integer label = classLabel(info);
        List<Double> sigmas = sigmas(k);
        if (interpolate.get()) {
            int frames = Math.max(2, count.get());
            return new EditRequest("interpolate", info.spec(), seed.get(), frames, k, sigmas, label, null, null, null,
                    null, null, null, seed.get(), seedB.get());
        }
        return new SampleRequest(info.spec(), seed.get(), count.get(), sigmas, label);
    }

    private Integer classLabel(ModelInfo info) {
        String c = classChoice.get();
        if (info.classes().isEmpty() || c == null || RANDOM_CLASS.equals(c)) {
            return null;
        }
        int i = info.classes().indexOf(c);
        return i < 0 ? null : i;
    }

    /** The model's σ list for K steps (its manifest's tuned list or the documented default). */
    private List<Double> sigmas(int k) {
        return modelInfo.get().schedules().get(k - 1);
    }

    private GenerationRequest withSteps(GenerationRequest r, int k) {
        List<Double> sigmas = sigmas(k);
        if (r instanceof SampleRequest s) {
            return new SampleRequest(s.model(), s.seed(), s.count(), sigmas, s.classLabel());
        }
        EditRequest e = (EditRequest) r;
        return new EditRequest(e.task(), e.model(), e.seed(), e.count(), k, sigmas, e.classLabel(), null, null, null,
                null, null, null, e.seedA(), e.seedB());
    }

    /** What one run hands back to the FX thread. */
    private record Output(GenerationRequest request, float[] images, int[] labels, float[] oneStep, double seconds,
            int channels, int size) {
    }

    /** A step of a running job, for the live preview. */
    private record Step(int done, int total, float[] current) {
    }

    private void run(GenerationRequest request) {
        previewDelay.stop();
        if (previewJob != null) {
            previewJob.cancel();
        }
        if (runJob != null) {
            runJob.cancel();
        }
        int myGeneration = ++generation;
        boolean withOneStep = compare.get() && request.sigmas().size() > 1;
        AtomicReference<Step> latest = new AtomicReference<>();
        AtomicBoolean posted = new AtomicBoolean();
        running.set(true);
        progress.set(0);
        String title = (request instanceof SampleRequest ? "Sampling " + ((SampleRequest) request).count()
                + " images" : "Interpolating") + ", " + request.sigmas().size() + " step"
                + (request.sigmas().size() == 1 ? "" : "s");
        runJob = jobs.submit("sample-run", title + "…", ctx -> compute(request, withOneStep, ctx, latest, posted),
                marker -> {
                    posted.set(false);
                    Step s = latest.getAndSet(null);
                    if (s != null && myGeneration == generation) {
                        progress.set((double) s.done / s.total);
                        showPartial(request, s.current);
                    }
                },
                out -> {
                    if (myGeneration == generation) {
                        show(out);
                        running.set(false);
                        progress.set(0);
                    }
                });
        runJob.result().whenComplete((v, e) -> {
            if (e != null) { // success ends in the callback above, once the results are on screen
                Platform.runLater(() -> {
                    if (myGeneration == generation) {
                        running.set(false);
                        progress.set(0);
                    }
                });
            }
        });
    }

    /** Runs on the lane. */
    private Output compute(GenerationRequest request, boolean withOneStep, JobContext ctx,
            AtomicReference<Step> latest, AtomicBoolean posted) {
        ConsistencyEngine engine = new ConsistencyEngine(loaded.model());
        float[] oneStep = null;
        long t0 = System.nanoTime();
        if (withOneStep) {
            oneStep = execute(engine, withSteps(request, 1), null);
        }
        float[] images = execute(engine, request, (done, total, current) -> {
            ctx.checkCancelled();
            ctx.progress((double) done / total, "Step " + done + " of " + total);
            latest.set(new Step(done, total, current.clone()));
            if (!posted.getAndSet(true)) {
                ctx.partial(Boolean.TRUE);
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] seeds = imageSeeds(request);
        int[] labels = GenerationRequest.labels(request.classLabel(), loaded.model().numClasses(), seeds);
        return new Output(request, images, labels, oneStep, seconds, loaded.model().channels(), loaded.model().size());
    }

    private float[] execute(ConsistencyEngine engine, GenerationRequest r,
            dev.atelier.consistency.ConsistencySampler.StepListener listener) {
        if (!r.model().equals(loadedSpec)) {
            throw new AtelierException("The model changed while this run was queued. Generate again.");
        }
        return r instanceof SampleRequest s ? engine.sample(s, listener)
                : engine.edit((EditRequest) r, null, null, listener);
    }

    private static long[] imageSeeds(GenerationRequest r) {
        return r instanceof SampleRequest s ? s.imageSeeds() : ((EditRequest) r).imageSeeds();
    }

    private void startPreview(int k) {
        if (shownRequest == null || !(shownRequest instanceof SampleRequest s)) {
            return;
        }
        SampleRequest r = (SampleRequest) withSteps(s, k);
        SampleRequest preview = new SampleRequest(r.model(), r.seed(), Math.min(PREVIEW_IMAGES, r.count()), r.sigmas(),
                r.classLabel());
        if (previewJob != null) {
            previewJob.cancel();
        }
        int myGeneration = generation;
        previewJob = jobs.submit("sample-preview", "Preview, " + k + " steps…", ctx -> {
            ConsistencyEngine engine = new ConsistencyEngine(loaded.model());
            return execute(engine, preview, (done, total, current) -> ctx.checkCancelled());
        }, null, images -> {
            if (myGeneration == generation) {
                showPartial(preview, images);
                summary.set("Preview: " + k + " step" + (k == 1 ? "" : "s") + " (first " + preview.count()
                        + " images); release the slider to resample all " + s.count() + ".");
            }
        });
    }

    // ---- results ------------------------------------------------------------------------------------------

    private void showPartial(GenerationRequest request, float[] current) {
        ModelInfo info = modelInfo.get();
        int n = Math.min(results.size(), current.length / (info.channels() * info.size() * info.size()));
        for (int i = 0; i < n; i++) {
            SampleImage old = results.get(i);
            results.set(i, new SampleImage(PixelImages.fromModel(current, i, info.channels(), info.size()), old.seed(),
                    old.classLabel(), old.className(), old.parameters(), old.caption()));
        }
    }

    private void show(Output out) {
        List<SampleImage> images = images(out.request, out.images, out.labels, out.channels, out.size);
        runsCompleted++; // before the lists change, so listeners can tell a finished run from a live preview
        shownRequest = out.request;
        results.setAll(images);
        oneStepResults.setAll(out.oneStep == null ? List.of()
                : images(withSteps(out.request, 1), out.oneStep, out.labels, out.channels, out.size));
        int k = out.request.sigmas().size();
        if (steps.get() != k) {
            steps.set(k);
        }
        int frames = images.size();
        frame.set(Math.min(frame.get(), frames - 1));
        selected.set(interpolate.get() ? images.get(Math.max(0, frame.get())) : images.get(0));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d image%s in %.2f s (%.1f images/s) · %d step%s · σ ", frames,
                frames == 1 ? "" : "s", out.seconds, frames / Math.max(out.seconds, 1e-9), k, k == 1 ? "" : "s"));
        s.append(sigmaList(out.request.sigmas()));
        summary.set(s.toString());
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

    private List<SampleImage> images(GenerationRequest r, float[] pixels, int[] labels, int channels, int size) {
        ModelInfo info = modelInfo.get();
        long[] seeds = imageSeeds(r);
        int k = r.sigmas().size();
        List<SampleImage> list = new ArrayList<>(seeds.length);
        for (int i = 0; i < seeds.length; i++) {
            Integer label = labels == null ? null : labels[i];
            String name = label == null ? null : info.classes().get(label);
            GenerationRequest single;
            String caption;
            if (r instanceof SampleRequest s) {
                single = new SampleRequest(s.model(), seeds[i], 1, s.sigmas(), s.classLabel());
                caption = "seed " + seeds[i] + (name == null ? "" : " · " + name) + " · " + k + " step" + (k == 1 ? ""
                        : "s");
            } else {
                EditRequest e = (EditRequest) r;
                single = e;
                caption = String.format(Locale.ROOT, "frame %d of %d · seeds %d → %d · t = %.2f%s · %d step%s", i + 1,
                        seeds.length, e.seedA(), e.seedB(), seeds.length == 1 ? 0.0 : (double) i / (seeds.length - 1),
                        name == null ? "" : " · " + name, k, k == 1 ? "" : "s");
            }
            list.add(new SampleImage(PixelImages.fromModel(pixels, i, channels, size), seeds[i], label, name, single,
                    caption));
        }
        return list;
    }

    private void addHistory(Output out, Image first) {
        byte[] thumb = PngImages.encode(PixelImages.toAwt(first), null);
        try {
            history.setAll(historyStore.add(history, new SampleHistory.Entry(out.request.toJson(), thumb, out.seconds)));
        } catch (IOException e) {
            history.add(0, new SampleHistory.Entry(out.request.toJson(), thumb, out.seconds));
            notifier.accept("The history could not be saved (" + e.getMessage() + "); it is kept until you close "
                    + "Atelier. Check that the settings folder is writable.");
        }
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
            notifier.accept("The dropped file " + file.getFileName() + " cannot be read (" + e.getMessage() + ").");
            return false;
        }
        if (kind == ModelFileKind.TORCHSCRIPT) {
            openModel(file);
            return true;
        }
        notifier.accept("The dropped file " + file.getFileName() + " is neither a model (a model folder or a "
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
        notifier.accept(message);
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
            notifier.accept(e.getMessage());
            return false;
        }
    }

    /** Puts the request's settings into the form: model, steps, seed (reuse mode), count, class. */
    public void restore(GenerationRequest r) {
        if (!(r instanceof SampleRequest) && !(r instanceof EditRequest e && "interpolate".equals(e.task()))) {
            throw new AtelierException("This image was made by the " + r.task() + " edit, not by sampling. Drop it on "
                    + "the Inpainting panel instead.");
        }
        randomSeed.set(false);
        seed.set(r.seed());
        steps.set(Math.max(1, Math.min(maxSteps.get(), r.sigmas().size())));
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
            ModelInfo info = modelInfo.get();
            classChoice.set(r.classLabel() == null || info == null || r.classLabel() >= info.classes().size()
                    ? RANDOM_CLASS : info.classes().get(r.classLabel()));
        };
        if (modelInfo.get() == null || !modelInfo.get().spec().equals(r.model())) {
            // the class names come from the model: set the class once it has loaded
            modelInfo.addListener(new javafx.beans.value.ChangeListener<ModelInfo>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends ModelInfo> o, ModelInfo was,
                        ModelInfo now) {
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
            notifier.accept("The Inpainting panel cannot take images yet.");
            return;
        }
        sendToInpainting.accept(image);
    }

    /** @param target receives "send to Inpainting" (set by the window) */
    public void setSendToInpainting(Consumer<SampleImage> target) {
        this.sendToInpainting = target;
    }

    /** @param notifier shows a message to the user (the window's notification bar) */
    public void setNotifier(Consumer<String> notifier) {
        this.notifier = notifier;
    }

    // ---- properties ---------------------------------------------------------------------------------------

    public ObservableList<String> models() {
        return models;
    }

    public StringProperty modelProperty() {
        return model;
    }

    public ReadOnlyObjectProperty<ModelInfo> modelInfoProperty() {
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

    /** @return full runs finished since the panel was built (previews do not count) */
    public int runsCompleted() {
        return runsCompleted;
    }

    /** @return the request of the results on screen, or null */
    public GenerationRequest shownRequest() {
        return shownRequest;
    }
}
