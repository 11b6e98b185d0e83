package dev.atelier.ui.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.app.ModelDescription;
import dev.atelier.app.Services;
import dev.atelier.app.TextPreviewRequest;
import dev.atelier.app.TextRequest;
import dev.atelier.app.TextResult;
import dev.atelier.base.AtomicFiles;
import dev.atelier.runtime.JobCancelledException;
import dev.atelier.runtime.JobHandle;
import dev.atelier.runtime.JobListener;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.BeamSnapshot;
import dev.atelier.text.ConstraintPreview;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintMatch;
import dev.atelier.ui.common.JobsViewModel;
import dev.atelier.ui.common.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * The Text panel's state and actions: the prompts (one per line, one batch), the constraint chips, the beam
 * settings and the model; Generate and Cancel; the results and the bank history of the last run. Chips are
 * tokenised by the model as they change (a latest-wins lane job), and Generate stays disabled, with the reason,
 * while anything would make the run fail. Everything here runs on the FX thread; model work runs on the lane.
 */
public final class TextPanelViewModel {
    /** A model the picker offers: what it shows and what is loaded (a shipped name or a path). */
    public record ModelChoice(String label, String spec) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final Services services;
    private final JobsViewModel jobs;
    private final StringProperty prompts = new SimpleStringProperty("");
    private final ReadOnlyIntegerWrapper promptCount = new ReadOnlyIntegerWrapper(0);
    private final ObservableList<ConstraintChip> chips = FXCollections.observableArrayList(
            c -> new Observable[] {c.values(), c.enabledProperty(), c.promptProperty()});
    private final ObservableList<ModelChoice> models = FXCollections.observableArrayList();
    private final ObjectProperty<ModelChoice> model = new SimpleObjectProperty<>();
    private final IntegerProperty beams = new SimpleIntegerProperty(4);
    private final IntegerProperty maxNewTokens = new SimpleIntegerProperty(30);
    private final DoubleProperty lengthPenalty = new SimpleDoubleProperty(1.0);
    private final ObjectProperty<EarlyStopping> earlyStopping = new SimpleObjectProperty<>(EarlyStopping.FALSE);
    private final IntegerProperty noRepeatNgram =
            new SimpleIntegerProperty(Settings.TextSettings.DEFAULT_NO_REPEAT_NGRAM);
    private final IntegerProperty numReturn = new SimpleIntegerProperty(1);
    private final ObjectProperty<SearchMode> mode = new SimpleObjectProperty<>(SearchMode.STRICT);
    private final BooleanProperty lookaheadOn = new SimpleBooleanProperty(true);
    private final IntegerProperty lookahead = new SimpleIntegerProperty(BeamSearchConfig.DEFAULT_LOOKAHEAD);
    private final DoubleProperty lookaheadWeight = new SimpleDoubleProperty(BeamSearchConfig.DEFAULT_LOOKAHEAD_WEIGHT);
    private final BooleanProperty tokenHealing = new SimpleBooleanProperty(BeamSearchConfig.DEFAULT_TOKEN_HEALING);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    /** what the panel shows of {@link #running}: a short run repaints nothing while it runs */
    private final ReadOnlyBooleanProperty runningShown = dev.atelier.ui.common.Grace.shown(running);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty status = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper blockReason = new ReadOnlyStringWrapper();
    /** the panel is at its first view: no prompt typed, loaded or tried to generate without yet */
    private final ReadOnlyBooleanWrapper untouched = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyBooleanWrapper blockIsHint = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper exampleOffered = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<ResultItem> results = FXCollections.observableArrayList();
    private final ObservableList<String> runPrompts = FXCollections.observableArrayList();
    private final ObservableList<BankStep> bankHistory = FXCollections.observableArrayList();
    private final BooleanProperty modelFailed = new SimpleBooleanProperty(false);
    private String modelError;
    private final List<String> recentModels = new ArrayList<>();
    private JobHandle<?> runningJob;
    private TextResult lastResult;
    private long previewVersion;
    private final javafx.animation.PauseTransition previewDelay =
            new javafx.animation.PauseTransition(javafx.util.Duration.millis(120));
    private int nextColour;
    private java.util.function.Consumer<RunTimes> onResultShown = times -> { };
    /**
     * The live view (bank steps, progress, tokens/s) is published at most this often while a search runs: every
     * redraw costs the search CPU time (the window is redrawn in software on a machine without a GPU).
     */
    static final long LIVE_INTERVAL_MS = 250;
    private final javafx.animation.PauseTransition livePublish =
            new javafx.animation.PauseTransition(javafx.util.Duration.millis(LIVE_INTERVAL_MS));
    private final List<BankStep> liveSteps = new ArrayList<>();
    private double liveProgress;
    private String liveStatus;
    private long livePublished;

    /**
     * Where a run's time went, for the latency benchmark.
     *
     * @param started {@link System#nanoTime()} at Generate
     * @param searchSeconds the search's own time on the lane (with the snapshots it hands the bank view)
     * @param snapshotSeconds FX-thread time the panel spent on the live snapshots (bank view steps)
     * @param resultSeconds FX-thread time the panel spent putting the result in (result rows, the full bank history)
     * @param resultDone {@link System#nanoTime()} when the result was in the lists (layout follows)
     */
    record RunTimes(long started, double searchSeconds, double snapshotSeconds, double resultSeconds,
            long resultDone) {
    }

    /**
     * @param services the text service and the model catalogue
     * @param jobs this panel's jobs (its Esc, its progress; the status bar shows them)
     */
    public TextPanelViewModel(Services services, JobsViewModel jobs) {
        this.services = services;
        this.jobs = jobs;
        previewDelay.setOnFinished(e -> submitPreview());
        livePublish.setOnFinished(e -> publishLive());
        prompts.addListener((o, a, b) -> promptCount.set(promptLines().size()));
        for (ModelDescription d : services.catalogue().shipped()) {
            if (ModelDescription.LANGUAGE.equals(d.kind())) {
                models.add(new ModelChoice(d.name() + " (shipped)", d.name()));
            }
        }
        if (!models.isEmpty()) {
            model.set(models.get(0));
        }
        chips.addListener((ListChangeListener<ConstraintChip>) c -> schedulePreview());
        model.addListener((o, a, b) -> {
            modelFailed.set(false);
            schedulePreview();
        });
        mode.addListener((o, a, b) -> schedulePreview());
        maxNewTokens.addListener((o, a, b) -> schedulePreview());
        promptCount.addListener((o, a, b) -> schedulePreview());
        for (Observable o : new Observable[] {prompts, model, beams, numReturn, mode, runningShown, modelFailed}) {
            o.addListener(x -> updateBlockReason());
        }
        runningShown.addListener((o, was, now) -> {
            if (now) { // the run has lasted the grace: its live view from now on
                status.set("Starting…");
                publishLive();
            }
        });
        chips.addListener((ListChangeListener<ConstraintChip>) c -> updateBlockReason());
        prompts.addListener((o, a, b) -> {
            if (!b.isBlank()) {
                untouched.set(false); // from now on a missing prompt is a mistake, not the start
            }
        });
        untouched.addListener(o -> updateBlockReason());
        exampleOffered.bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> promptCount.get() == 0 && chips.isEmpty() && !running.get(), promptCount, chips, running));
        updateBlockReason();
    }

    // ---- the example ------------------------------------------------------------------------------------------

    /** The example's prompt: with {@link #EXAMPLE_CHIPS} the shipped brown-lm writes a sentence that meets both. */
    static final String EXAMPLE_PROMPT = "The jury said";
    /** The example's constraints: a phrase and an any-of group of words of one or two tokens (no warnings). */
    static final List<ConstraintSetFile.Chip> EXAMPLE_CHIPS = List.of(
            new ConstraintSetFile.Chip(new ConstraintSpec(ConstraintSpec.Kind.PHRASE, List.of("the election")), -1,
                    true),
            new ConstraintSetFile.Chip(new ConstraintSpec(ConstraintSpec.Kind.ANY,
                    List.of("Friday", "today", "yesterday")), -1, true));

    /**
     * Fills the empty panel with an example to try (a prompt, a phrase and an any-of group). It is offered only
     * while there is no prompt and no constraint, so it never replaces the user's work.
     *
     * @return true if the example was filled in; false (and nothing changed) if the panel was not empty
     */
    public boolean loadExample() {
        if (!exampleOffered.get()) {
            return false;
        }
        setChips(EXAMPLE_CHIPS);
        prompts.set(EXAMPLE_PROMPT);
        return true;
    }

    /** @return true while the example can be filled in: no prompt, no constraint, no run */
    public ReadOnlyBooleanProperty exampleOfferedProperty() {
        return exampleOffered.getReadOnlyProperty();
    }

    // ---- chips ------------------------------------------------------------------------------------------------

    /**
     * Adds a chip of {@code kind} at the end (an any-of group starts with two options, an ordered one with two
     * parts).
     *
     * @return the chip
     */
    public ConstraintChip addChip(ConstraintSpec.Kind kind) {
        List<String> values = kind == ConstraintSpec.Kind.ANY || kind == ConstraintSpec.Kind.ORDERED
                ? List.of("", "") : List.of("");
        ConstraintChip c = newChip(kind, values);
        chips.add(c);
        return c;
    }

    private ConstraintChip newChip(ConstraintSpec.Kind kind, List<String> values) {
        ConstraintChip c = new ConstraintChip(kind, values, nextColour++);
        c.problemProperty().addListener((o, a, b) -> updateBlockReason());
        return c;
    }

    /** Removes a chip. */
    public void removeChip(ConstraintChip chip) {
        chips.remove(chip);
    }

    /**
     * Moves a chip to another position (constraints are numbered in chip order).
     *
     * @param from its index
     * @param to the index it ends up at
     */
    public void moveChip(int from, int to) {
        if (from < 0 || from >= chips.size()) {
            return;
        }
        int target = Math.max(0, Math.min(chips.size() - 1, to));
        if (target == from) {
            return;
        }
        // one change, so that views keep their chips (and the focused field its focus)
        List<ConstraintChip> order = new ArrayList<>(chips);
        order.add(target, order.remove(from));
        chips.setAll(order);
    }

    /** @return the chips in order */
    public ObservableList<ConstraintChip> chips() {
        return chips;
    }

    // ---- constraint sets --------------------------------------------------------------------------------------

    /** @return the prompts (non-blank lines, stripped) and chips as a constraint set */
    public ConstraintSetFile.Content content() {
        List<ConstraintSetFile.Chip> list = new ArrayList<>();
        for (ConstraintChip c : chips) {
            list.add(new ConstraintSetFile.Chip(c.spec(), c.promptProperty().get(), c.enabledProperty().get()));
        }
        return new ConstraintSetFile.Content(promptLines(), list);
    }

    /** Replaces the prompts and chips with a constraint set. */
    public void setContent(ConstraintSetFile.Content content) {
        prompts.set(String.join("\n", content.prompts()));
        setChips(content.chips());
    }

    private void setChips(List<ConstraintSetFile.Chip> list) {
        nextColour = 0;
        List<ConstraintChip> out = new ArrayList<>();
        for (ConstraintSetFile.Chip c : list) {
            ConstraintChip chip = newChip(c.spec().kind(), c.spec().values());
            chip.enabledProperty().set(c.enabled());
            chip.promptProperty().set(c.prompt());
            out.add(chip);
        }
        chips.setAll(out);
    }

    /**
     * Saves the prompts and chips as a constraint set ({@code atelier text --constraints} reads it).
     *
     * @throws AtelierException if there is no prompt or the file cannot be written
     */
    public void saveConstraints(Path file) {
        ConstraintSetFile.write(file, content());
        status.set("Saved the constraint set to " + file.getFileName());
    }

    /**
     * Loads a constraint set saved by the studio or written for the command line.
     *
     * @throws AtelierException naming the file and what is wrong
     */
    public void loadConstraints(Path file) {
        setContent(ConstraintSetFile.read(file));
        status.set("Loaded " + file.getFileName());
    }

    // ---- models -----------------------------------------------------------------------------------------------

    /**
     * Adds a model from a path (a bigram .json file, a model directory, or a file inside one such as its
     * manifest.json or TorchScript weights) and chooses it.
     *
     * @param path what the user opened
     */
    public void openModel(Path path) {
        Path p = path.toAbsolutePath();
        String name = p.getFileName() == null ? p.toString() : p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".json") || lower.equals("manifest.json")) {
            if (!java.nio.file.Files.isDirectory(p) && p.getParent() != null) {
                p = p.getParent();
                name = p.getFileName().toString();
            }
        }
        String spec = p.toString();
        ModelDescription d = services.catalogue().describe(spec);
        if (!ModelDescription.LANGUAGE.equals(d.kind())) {
            throw new AtelierException(name + " is a " + d.kind() + " model, not a language model. Choose a "
                    + "language-model directory (its manifest.json or weights) or a bigram .json file.");
        }
        recentModels.remove(spec);
        recentModels.add(0, spec);
        while (recentModels.size() > 8) {
            recentModels.remove(recentModels.size() - 1);
        }
        ModelChoice choice = choiceFor(spec, name);
        model.set(choice);
    }

    private ModelChoice choiceFor(String spec, String label) {
        for (ModelChoice m : models) {
            if (m.spec().equals(spec)) {
                return m;
            }
        }
        ModelChoice m = new ModelChoice(label, spec);
        models.add(m);
        return m;
    }

    // ---- previews ---------------------------------------------------------------------------------------------

    /**
     * Re-tokenises every chip shortly after the last change (typing restarts the short delay; a newer preview
     * job also replaces a queued one on the lane).
     */
    private void schedulePreview() {
        previewVersion++;
        previewDelay.playFromStart();
    }

    private void submitPreview() {
        ModelChoice m = model.get();
        if (m == null || chips.isEmpty()) {
            return;
        }
        long version = previewVersion;
        List<ConstraintChip> snapshot = List.copyOf(chips);
        int count = promptCount.get();
        // each prompt's enabled chips are checked together; every other chip alone
        List<List<ConstraintChip>> groups = new ArrayList<>();
        for (int p = count == 0 ? -1 : 0; p < Math.max(count, 0); p++) {
            List<ConstraintChip> g = new ArrayList<>();
            for (ConstraintChip c : snapshot) {
                int scope = c.promptProperty().get();
                if (c.enabledProperty().get() && (scope < 0 || scope == p)) {
                    g.add(c);
                }
            }
            groups.add(g);
        }
        for (ConstraintChip c : snapshot) {
            if (groups.stream().noneMatch(g -> g.contains(c))) {
                groups.add(List.of(c));
            }
        }
        List<List<ConstraintSpec>> sets = new ArrayList<>();
        for (List<ConstraintChip> g : groups) {
            sets.add(g.stream().map(ConstraintChip::spec).toList());
        }
        TextPreviewRequest request = new TextPreviewRequest(m.spec(), sets, mode.get(), maxNewTokens.get());
        try {
            services.text().preview(jobs.owner(), request, Platform::runLater, previewListener(version, snapshot,
                    groups, count));
        } catch (IllegalStateException closed) {
            // the window is closing and its lane is closed: a preview typed just before has nowhere to run
        }
    }

    private JobListener<List<List<ConstraintPreview>>, Void> previewListener(long version,
            List<ConstraintChip> snapshot, List<List<ConstraintChip>> groups, int count) {
        return new JobListener<>() {
            @Override
            public void onSuccess(List<List<ConstraintPreview>> previews) {
                if (version != previewVersion) {
                    return;
                }
                modelFailed.set(false);
                Map<ConstraintChip, ConstraintPreview> chosen = new IdentityHashMap<>();
                for (int g = 0; g < groups.size(); g++) {
                    for (int k = 0; k < groups.get(g).size(); k++) {
                        ConstraintChip c = groups.get(g).get(k);
                        ConstraintPreview p = previews.get(g).get(k);
                        ConstraintPreview had = chosen.get(c);
                        if (had == null || had.ok() && !p.ok()) {
                            chosen.put(c, p);
                        }
                    }
                }
                for (ConstraintChip c : snapshot) {
                    ConstraintPreview p = chosen.get(c);
                    int scope = c.promptProperty().get();
                    if (p != null && p.ok() && scope >= Math.max(1, count)) {
                        p = p.withError("Applies to prompt " + (scope + 1)
                                + ", but there " + (count == 1 ? "is 1 prompt" : "are " + count + " prompts")
                                + ". Choose another prompt or all prompts.");
                    }
                    c.previewProperty().set(p);
                }
            }

            @Override
            public void onFailure(String message, Throwable error) {
                if (version == previewVersion) {
                    modelError = message;
                    modelFailed.set(true);
                    updateBlockReason();
                }
            }
        };
    }

    // ---- generate ---------------------------------------------------------------------------------------------

    private void updateBlockReason() {
        String reason = computeBlockReason();
        blockIsHint.set(FIRST_VIEW.equals(reason));
        blockReason.set(reason);
    }

    /** Why Generate is disabled on the untouched first view: the one reason shown as a hint, not an error. */
    private static final String FIRST_VIEW = "Type a prompt to start (one per line, all lines run as one batch), or try "
            + "the Example.";

    private String computeBlockReason() {
        if (runningShown.get()) {
            return "Generating… press Esc to cancel.";
        }
        if (model.get() == null) {
            return "Choose a model first (Open… for your own).";
        }
        if (modelFailed.get()) {
            return "The model " + model.get().label() + " cannot be used: " + modelError;
        }
        if (promptLines().isEmpty()) {
            return untouched.get() && chips.isEmpty() ? FIRST_VIEW
                    : "Type a prompt first: one prompt per line, all lines run as one batch.";
        }
        if (numReturn.get() > beams.get()) {
            return "Results per prompt (" + numReturn.get() + ") must be at most the number of beams ("
                    + beams.get() + ").";
        }
        if (mode.get() == SearchMode.HF && beams.get() < 2) {
            return "hf mode needs at least 2 beams (Hugging Face switches to greedy search with one).";
        }
        for (int i = 0; i < chips.size(); i++) {
            ConstraintChip c = chips.get(i);
            if (c.enabledProperty().get() && c.problemProperty().get() != null) {
                return c.title() + " constraint (chip " + (i + 1) + "): " + c.problemProperty().get();
            }
        }
        return null;
    }

    /** Starts a run for every prompt line (Ctrl+Enter); does nothing while a run is on or Generate is disabled. */
    public void generate() {
        if (running.get() || blockReason.get() != null) {
            untouched.set(false); // asked to run without a prompt: the note becomes an error
            return;
        }
        ConstraintSetFile.Content content = content();
        List<List<ConstraintSpec>> perPrompt = content.perPrompt();
        List<int[]> colours = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        List<List<ConstraintChip>> chipsOf = new ArrayList<>();
        List<ConstraintSpec.PromptSpec> promptSpecs = new ArrayList<>();
        for (int i = 0; i < content.prompts().size(); i++) {
            List<ConstraintChip> mine = new ArrayList<>();
            for (ConstraintChip c : chips) {
                if (c.enabledProperty().get() && (c.promptProperty().get() < 0 || c.promptProperty().get() == i)) {
                    mine.add(c);
                }
            }
            colours.add(mine.stream().mapToInt(ConstraintChip::colour).toArray());
            labels.add(mine.stream().map(c -> c.title().toLowerCase(Locale.ROOT) + " \"" + String.join(" | ",
                    c.values()) + "\"").toList());
            chipsOf.add(mine);
            promptSpecs.add(new ConstraintSpec.PromptSpec(content.prompts().get(i), perPrompt.get(i)));
        }
        TextRequest request;
        try {
            request = new TextRequest(model.get().spec(), promptSpecs, new BeamSearchConfig(mode.get(), beams.get(),
                    null, maxNewTokens.get(), 0, lengthPenalty.get(), earlyStopping.get(), numReturn.get(),
                    noRepeatNgram.get(), lookaheadOn.get() ? lookahead.get() : 0, lookaheadWeight.get(),
                    tokenHealing.get()));
        } catch (AtelierException e) {
            status.set("Cannot generate: " + e.getMessage());
            return;
        }
        results.clear();
        lastResult = null;
        bankHistory.clear();
        livePublish.stop();
        liveSteps.clear();
        liveStatus = null;
        livePublished = 0;
        chips.forEach(c -> c.serviceErrorProperty().set(null));
        runPrompts.setAll(content.prompts());
        running.set(true);
        progress.set(0);
        long started = System.nanoTime();
        int batch = content.prompts().size();
        BankSteps bank = new BankSteps(content.prompts(), colours);
        long[] snapshotNanos = {0};
        int[] received = {0};
        JobHandle<TextResult> h = jobs.<TextResult, BeamSnapshot>submit("Generating text",
                (owner, fx, l) -> services.text().submit(owner, request, fx, everyLiveInterval(l)),
                snapshot -> {
                    if (!running.get()) {
                        return;
                    }
                    long t0 = System.nanoTime();
                    received[0]++;
                    double seconds = (System.nanoTime() - started) / 1e9;
                    String text = String.format(Locale.ROOT, "token %d / %d · %.1f tokens/s", snapshot.step(),
                            snapshot.maxSteps(), snapshot.step() * batch / Math.max(seconds, 1e-9));
                    liveSteps.addAll(bank.add(snapshot));
                    liveProgress = (double) snapshot.step() / snapshot.maxSteps();
                    liveStatus = text;
                    if (runningShown.get()) { // within the grace nothing is repainted: its end publishes
                        if (System.nanoTime() - livePublished >= LIVE_INTERVAL_MS * 1_000_000L) {
                            publishLive();
                        } else if (livePublish.getStatus() != javafx.animation.Animation.Status.RUNNING) {
                            livePublish.playFromStart();
                        }
                    }
                    snapshotNanos[0] += System.nanoTime() - t0;
                },
                result -> {
                    long t0 = System.nanoTime();
                    publishLive();
                    List<ResultItem> items = new ArrayList<>();
                    int generated = 0;
                    for (TextResult.Output o : result.outputs()) {
                        items.add(item(o, colours.get(o.output().prompt()), labels.get(o.output().prompt())));
                        generated = Math.max(generated, o.output().tokens().length - o.output().promptLength());
                    }
                    lastResult = result;
                    results.setAll(items);
                    if (received[0] < result.steps().size()) {
                        // the live view missed steps (the window was busy): it gets the whole run's steps, converted
                        // off the FX thread, after the results are shown; its newest step is already the last one
                        CompletableFuture.supplyAsync(() -> {
                            BankSteps all = new BankSteps(content.prompts(), colours);
                            result.steps().forEach(all::add);
                            return all.steps();
                        }).thenAccept(all -> Platform.runLater(() -> {
                            if (lastResult == result) {
                                bankHistory.setAll(all);
                            }
                        }));
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    progress.set(1);
                    status.set(String.format(Locale.ROOT, "%d result%s in %.2f s · %.1f tokens/s",
                            items.size(), items.size() == 1 ? "" : "s", seconds,
                            generated * batch / Math.max(result.seconds(), 1e-9)));
                    long done = System.nanoTime();
                    onResultShown.accept(new RunTimes(started, result.seconds(), snapshotNanos[0] / 1e9,
                            (done - t0) / 1e9, done));
                });
        runningJob = h;
        h.result().whenComplete((r, e) -> Platform.runLater(() -> {
            if (runningJob == h) {
                runningJob = null;
                livePublish.stop();
                liveSteps.clear();
                liveStatus = null;
                running.set(false);
            }
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                if (cause instanceof JobCancelledException) {
                    status.set("Cancelled");
                } else {
                    status.set("Failed: " + firstLine(String.valueOf(cause.getMessage())));
                    showOnChip(cause, chipsOf);
                }
            }
        }));
    }

    /**
     * @return {@code l} with its progress reports (the status bar's) passed on at most every
     *     {@link #LIVE_INTERVAL_MS}, like the panel's own live view; everything else as it comes
     */
    private static <T, P> JobListener<T, P> everyLiveInterval(JobListener<T, P> l) {
        return new JobListener<>() {
            private long last;

            @Override
            public void onStarted() {
                l.onStarted();
            }

            @Override
            public void onProgress(double fraction, String message) {
                long now = System.nanoTime();
                if (now - last >= LIVE_INTERVAL_MS * 1_000_000L) {
                    last = now;
                    l.onProgress(fraction, message);
                }
            }

            @Override
            public void onPartial(P value) {
                l.onPartial(value);
            }

            @Override
            public void onSuccess(T result) {
                l.onSuccess(result);
            }

            @Override
            public void onFailure(String message, Throwable error) {
                l.onFailure(message, error);
            }

            @Override
            public void onCancelled() {
                l.onCancelled();
            }
        };
    }

    /** Shows the live state received since the last time (bank steps, progress, tokens/s). */
    private void publishLive() {
        livePublish.stop();
        livePublished = System.nanoTime();
        if (liveStatus == null) {
            return;
        }
        progress.set(liveProgress);
        status.set(liveStatus);
        liveStatus = null;
        bankHistory.addAll(liveSteps);
        liveSteps.clear();
    }

    /** An error about {@code constraint[i]} (of some prompt) is shown on that chip. */
    private static void showOnChip(Throwable cause, List<List<ConstraintChip>> chipsOf) {
        if (!(cause instanceof AtelierException a) || a.field() == null || !a.field().startsWith("constraint[")) {
            return;
        }
        int i;
        try {
            i = Integer.parseInt(a.field().substring("constraint[".length(), a.field().length() - 1));
        } catch (NumberFormatException e) {
            return;
        }
        for (List<ConstraintChip> list : chipsOf) {
            if (i < list.size()) {
                list.get(i).serviceErrorProperty().set(a.getMessage());
                return;
            }
        }
    }

    /**
     * Cuts an output at every span boundary, using the token offsets the service gives. The text shown ends before
     * a final end-of-text token (the service says how many tokens are shown); the tokens and spans are the output's.
     */
    static ResultItem item(TextResult.Output out, int[] colours, List<String> labels) {
        TextOutput o = out.output();
        int[] t = o.tokens();
        int[] offsets = out.offsets();
        int shown = out.shown();
        String text = out.text().substring(0, offsets[shown]);
        List<ResultItem.Span> spans = new ArrayList<>();
        TreeSet<Integer> cuts = new TreeSet<>(List.of(0, shown));
        for (ConstraintMatch m : o.matches()) {
            spans.add(new ResultItem.Span(m.constraint(), m.start(), m.end()));
            cuts.add(Math.min(m.start(), shown));
            cuts.add(Math.min(m.end(), shown));
        }
        List<ResultItem.Segment> segments = new ArrayList<>();
        Integer prev = null;
        for (int cut : cuts) {
            if (prev != null) {
                List<Integer> covering = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (ResultItem.Span s : spans) {
                    if (s.start() <= prev && cut <= s.end()) {
                        covering.add(s.constraint());
                        names.add("constraint " + s.constraint() + ": " + (s.constraint() < labels.size()
                                ? labels.get(s.constraint()) : ""));
                    }
                }
                int colour = covering.isEmpty() || covering.get(0) >= colours.length ? -1 : colours[covering.get(0)];
                segments.add(new ResultItem.Segment(text.substring(offsets[prev], offsets[cut]), prev, cut, covering,
                        colour, String.join("\n", names)));
            }
            prev = cut;
        }
        return new ResultItem(o.prompt(), o.rank(), text, t, segments, o.score(), o.satisfied(), spans);
    }

    /** Stops this panel's jobs (Esc while the panel is shown); other panels' jobs go on. */
    public void cancel() {
        jobs.cancel();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---- results ----------------------------------------------------------------------------------------------

    /** @return the services the panel runs on (the latency benchmark runs the same request without the panel) */
    Services services() {
        return services;
    }

    /** @return the request of the last finished run, as the text service received it (null before a run) */
    TextRequest lastRequest() {
        return lastResult == null ? null : lastResult.request();
    }

    /** @return the last run's results as {@code atelier text} prints them (empty before a run) */
    public String resultsAsText() {
        return lastResult == null ? "" : lastResult.report();
    }

    /** @return the last run's results as {@code atelier text --json} prints them (null before a run) */
    public ObjectNode resultsAsJson() {
        return lastResult == null ? null : lastResult.toJson();
    }

    /**
     * Exports the last run's results, as {@code atelier text --json} prints them when the file name ends in .json,
     * else as {@code atelier text} prints them.
     *
     * @throws AtelierException if there are no results or the file cannot be written
     */
    public void exportResults(Path file) {
        if (lastResult == null) {
            throw new AtelierException("There are no results to export yet. Generate first.");
        }
        try {
            String body = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? ConstraintSetFile.JSON.writeValueAsString(resultsAsJson()) + "\n" : resultsAsText();
            AtomicFiles.write(file, body.getBytes(StandardCharsets.UTF_8));
            status.set("Exported " + results.size() + " results to " + file.getFileName());
        } catch (IOException e) {
            throw new AtelierException("Cannot write the results to " + file + " (" + e.getMessage() + "). Choose a "
                    + "folder you can write to.", e);
        }
    }

    // ---- settings ---------------------------------------------------------------------------------------------

    /** Restores the panel from the settings (model, prompts, chips, beam settings); bad parts fall back to defaults. */
    public void restore(Settings.TextSettings s) {
        beams.set(clamp(s.beams, 1, 64, 4));
        maxNewTokens.set(clamp(s.maxNewTokens, 1, 1024, 30));
        lengthPenalty.set(Double.isFinite(s.lengthPenalty) ? s.lengthPenalty : 1.0);
        try {
            earlyStopping.set(EarlyStopping.parse(String.valueOf(s.earlyStopping)));
        } catch (IllegalArgumentException e) {
            earlyStopping.set(EarlyStopping.FALSE);
        }
        mode.set("hf".equalsIgnoreCase(s.mode) ? SearchMode.HF : SearchMode.STRICT);
        noRepeatNgram.set(clamp(s.noRepeatNgram, 0, 16, Settings.TextSettings.DEFAULT_NO_REPEAT_NGRAM));
        numReturn.set(clamp(s.numReturn, 1, beams.get(), 1));
        lookaheadOn.set(s.lookaheadOn);
        lookahead.set(clamp(s.lookahead, 1, BeamSearchConfig.MAX_LOOKAHEAD, BeamSearchConfig.DEFAULT_LOOKAHEAD));
        lookaheadWeight.set(Double.isFinite(s.lookaheadWeight) && s.lookaheadWeight >= 0 && s.lookaheadWeight <= 10
                ? s.lookaheadWeight : BeamSearchConfig.DEFAULT_LOOKAHEAD_WEIGHT);
        tokenHealing.set(s.tokenHealing);
        recentModels.clear();
        if (s.recentModels != null) {
            for (String m : s.recentModels) {
                if (m != null && java.nio.file.Files.exists(Path.of(m))) {
                    recentModels.add(m);
                    choiceFor(m, Path.of(m).getFileName().toString());
                }
            }
        }
        if (s.model != null) {
            for (ModelChoice m : models) {
                if (m.spec().equals(s.model)) {
                    model.set(m);
                }
            }
        }
        prompts.set(s.prompts == null ? "" : s.prompts);
        if (s.chips != null) {
            try {
                setChips(ConstraintSetFile.chipsFromJson(s.chips, "the saved settings"));
            } catch (AtelierException e) {
                chips.clear();
            }
        }
    }

    /** Writes the panel's state into the settings. */
    public void store(Settings.TextSettings s) {
        s.model = model.get() == null ? null : model.get().spec();
        s.recentModels = new ArrayList<>(recentModels);
        s.prompts = prompts.get();
        s.chips = ConstraintSetFile.chipsToJson(content().chips());
        s.beams = beams.get();
        s.maxNewTokens = maxNewTokens.get();
        s.lengthPenalty = lengthPenalty.get();
        s.earlyStopping = earlyStopping.get().toString();
        s.noRepeatNgram = noRepeatNgram.get();
        s.numReturn = numReturn.get();
        s.mode = mode.get().name().toLowerCase(Locale.ROOT);
        s.lookaheadOn = lookaheadOn.get();
        s.lookahead = lookahead.get();
        s.lookaheadWeight = lookaheadWeight.get();
        s.tokenHealing = tokenHealing.get();
    }

    private static int clamp(int v, int lo, int hi, int fallback) {
        return v < lo || v > hi ? fallback : v;
    }

    /** @return the non-blank prompt lines, stripped */
    List<String> promptLines() {
        List<String> out = new ArrayList<>();
        for (String line : prompts.get().split("\n", -1)) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /** For the latency benchmark and the screenshot: called when a run's results are in the lists. */
    void setOnResultShown(java.util.function.Consumer<RunTimes> listener) {
        onResultShown = listener;
    }

    // ---- properties -------------------------------------------------------------------------------------------

    public StringProperty promptsProperty() {
        return prompts;
    }

    public ReadOnlyIntegerProperty promptCountProperty() {
        return promptCount.getReadOnlyProperty();
    }

    public ObservableList<ModelChoice> models() {
        return models;
    }

    public ObjectProperty<ModelChoice> modelProperty() {
        return model;
    }

    public IntegerProperty beamsProperty() {
        return beams;
    }

    public IntegerProperty maxNewTokensProperty() {
        return maxNewTokens;
    }

    public DoubleProperty lengthPenaltyProperty() {
        return lengthPenalty;
    }

    public ObjectProperty<EarlyStopping> earlyStoppingProperty() {
        return earlyStopping;
    }

    public IntegerProperty noRepeatNgramProperty() {
        return noRepeatNgram;
    }

    public IntegerProperty numReturnProperty() {
        return numReturn;
    }

    public ObjectProperty<SearchMode> modeProperty() {
        return mode;
    }

    /** @return strict mode: whether beams are ranked with a lookahead (off sends lookahead 0) */
    public BooleanProperty lookaheadOnProperty() {
        return lookaheadOn;
    }

    /** @return the lookahead depth in tokens, 1 to {@link BeamSearchConfig#MAX_LOOKAHEAD} */
    public IntegerProperty lookaheadProperty() {
        return lookahead;
    }

    public DoubleProperty lookaheadWeightProperty() {
        return lookaheadWeight;
    }

    /** @return strict mode: whether the prompt's last token is healed */
    public BooleanProperty tokenHealingProperty() {
        return tokenHealing;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /**
     * @return {@link #runningProperty()} once a run has lasted {@link dev.atelier.ui.common.Grace#DELAY_MS}: what the
     *     view shows (Cancel enabled, Generate disabled, the progress bar, the live status and bank history), so that
     *     a short run repaints nothing while it runs; Esc cancels at once all the same
     */
    public ReadOnlyBooleanProperty runningShownProperty() {
        return runningShown;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty statusProperty() {
        return status;
    }

    /**
     * @return true while {@link #blockReasonProperty()} is only the first view's missing prompt (nothing typed,
     *     loaded or asked for yet): a hint, not an error
     */
    public ReadOnlyBooleanProperty blockIsHintProperty() {
        return blockIsHint.getReadOnlyProperty();
    }

    /** @return why Generate is disabled, or null when it is enabled */
    public ReadOnlyStringProperty blockReasonProperty() {
        return blockReason.getReadOnlyProperty();
    }

    public ObservableList<ResultItem> results() {
        return results;
    }

    public ObservableList<String> runPrompts() {
        return runPrompts;
    }

    public ObservableList<BankStep> bankHistory() {
        return bankHistory;
    }
}
