package dev.atelier.ui.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.runtime.AtomicFiles;
import dev.atelier.runtime.JobHandle;
import dev.atelier.text.ConstraintPreview;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import dev.atelier.ui.common.JobsViewModel;
import dev.atelier.ui.common.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
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

    private final JobsViewModel jobs;
    private final TextLaneWork lane = new TextLaneWork();
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
    private final IntegerProperty noRepeatNgram = new SimpleIntegerProperty(0);
    private final IntegerProperty numReturn = new SimpleIntegerProperty(1);
    private final ObjectProperty<SearchMode> mode = new SimpleObjectProperty<>(SearchMode.STRICT);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty status = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper blockReason = new ReadOnlyStringWrapper();
    private final ObservableList<ResultItem> results = FXCollections.observableArrayList();
    private final ObservableList<String> runPrompts = FXCollections.observableArrayList();
    private final ObservableList<BankStep> bankHistory = FXCollections.observableArrayList();
    private final BooleanProperty modelFailed = new SimpleBooleanProperty(false);
    private final List<String> recentModels = new ArrayList<>();
    private JobHandle<?> runningJob;
    private long previewVersion;
    private final javafx.animation.PauseTransition previewDelay =
            new javafx.animation.PauseTransition(javafx.util.Duration.millis(120));
    private int nextColour;
    private Consumer<Long> onResultShown = t -> { };

    /** @param jobs where lane jobs are submitted (progress in the status bar) */
    public TextPanelViewModel(JobsViewModel jobs) {
        this.jobs = jobs;
        previewDelay.setOnFinished(e -> submitPreview());
        prompts.addListener((o, a, b) -> promptCount.set(promptLines().size()));
        for (String name : lane.shippedLanguageModels()) {
            models.add(new ModelChoice(name + " (shipped)", name));
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
        for (Observable o : new Observable[] {prompts, model, beams, numReturn, mode, running, modelFailed}) {
            o.addListener(x -> updateBlockReason());
        }
        chips.addListener((ListChangeListener<ConstraintChip>) c -> updateBlockReason());
        updateBlockReason();
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
        ConstraintChip c = chips.remove(from);
        chips.add(target, c);
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
        List<ConstraintSpec> specs = new ArrayList<>();
        List<Integer> scopes = new ArrayList<>();
        List<Boolean> on = new ArrayList<>();
        for (ConstraintChip c : snapshot) {
            specs.add(c.spec());
            scopes.add(c.promptProperty().get());
            on.add(c.enabledProperty().get());
        }
        int count = promptCount.get();
        SearchMode searchMode = mode.get();
        int budget = maxNewTokens.get();
        String spec = m.spec();
        JobHandle<List<ConstraintPreview>> h = jobs.submit("text-preview", "Reading the constraints…",
                ctx -> lane.preview(spec, specs, scopes, on, count, searchMode, budget), null, previews -> {
                    if (version != previewVersion) {
                        return;
                    }
                    for (int i = 0; i < snapshot.size(); i++) {
                        snapshot.get(i).previewProperty().set(previews.get(i));
                    }
                });
        h.result().whenComplete((r, e) -> {
            if (e != null) {
                Platform.runLater(() -> {
                    if (version == previewVersion && !(e.getCause() instanceof dev.atelier.runtime.JobCancelledException)) {
                        modelFailed.set(true);
                    }
                });
            }
        });
    }

    // ---- generate ---------------------------------------------------------------------------------------------

    private void updateBlockReason() {
        blockReason.set(computeBlockReason());
    }

    private String computeBlockReason() {
        if (running.get()) {
            return "Generating… press Esc to cancel.";
        }
        if (model.get() == null) {
            return "Choose a model first (Open… for your own).";
        }
        if (modelFailed.get()) {
            return "The model " + model.get().label() + " could not be loaded (see the message). Choose another model.";
        }
        if (promptLines().isEmpty()) {
            return "Type a prompt first: one prompt per line, all lines run as one batch.";
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

    /** Starts a run for every prompt line (Ctrl+Enter); does nothing while Generate is disabled. */
    public void generate() {
        if (blockReason.get() != null) {
            return;
        }
        ConstraintSetFile.Content content = content();
        List<List<ConstraintSpec>> perPrompt = content.perPrompt();
        List<int[]> colours = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        for (int i = 0; i < content.prompts().size(); i++) {
            int[] cs = new int[perPrompt.get(i).size()];
            List<String> ls = new ArrayList<>();
            int k = 0;
            for (ConstraintChip c : chips) {
                if (c.enabledProperty().get() && (c.promptProperty().get() < 0 || c.promptProperty().get() == i)) {
                    cs[k++] = c.colour();
                    ls.add(c.title().toLowerCase(Locale.ROOT) + " \"" + String.join(" | ", c.values()) + "\"");
                }
            }
            colours.add(cs);
            labels.add(ls);
        }
        TextLaneWork.Run run = new TextLaneWork.Run(model.get().spec(), content.prompts(), perPrompt, colours, labels,
                mode.get(), beams.get(), maxNewTokens.get(), lengthPenalty.get(), earlyStopping.get(),
                noRepeatNgram.get(), numReturn.get());
        results.clear();
        bankHistory.clear();
        runPrompts.setAll(content.prompts());
        running.set(true);
        progress.set(0);
        status.set("Starting…");
        long started = System.nanoTime();
        int batch = content.prompts().size();
        JobHandle<TextLaneWork.Outcome> h = jobs.submit("text", "Generating text", ctx -> lane.generate(run, ctx),
                partial -> {
                    if (partial instanceof TextLaneWork.Step s) {
                        progress.set((double) s.step() / s.maxSteps());
                        double seconds = (System.nanoTime() - started) / 1e9;
                        status.set(String.format(Locale.ROOT, "token %d / %d · %.1f tokens/s", s.step(), s.maxSteps(),
                                s.step() * batch / Math.max(seconds, 1e-9)));
                    } else if (partial instanceof BankStep b) {
                        bankHistory.add(b);
                    }
                },
                outcome -> {
                    results.setAll(outcome.results());
                    double seconds = (System.nanoTime() - started) / 1e9;
                    progress.set(1);
                    status.set(String.format(Locale.ROOT, "%d result%s in %.2f s · %.1f tokens/s",
                            outcome.results().size(), outcome.results().size() == 1 ? "" : "s", seconds,
                            outcome.generatedTokens() / Math.max(outcome.searchSeconds(), 1e-9)));
                    onResultShown.accept(System.nanoTime() - started);
                });
        runningJob = h;
        h.result().whenComplete((r, e) -> Platform.runLater(() -> {
            if (runningJob == h) {
                runningJob = null;
                running.set(false);
            }
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                if (cause instanceof dev.atelier.runtime.JobCancelledException) {
                    status.set("Cancelled");
                } else {
                    status.set("Failed: " + firstLine(String.valueOf(cause.getMessage())));
                }
            }
        }));
    }

    /** Stops this panel's run (Esc in the panel); other panels' jobs go on. */
    public void cancel() {
        if (runningJob != null) {
            runningJob.cancel();
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---- results ----------------------------------------------------------------------------------------------

    /** @return the results as plain text: each prompt, then each output with its badge and score */
    public String resultsAsText() {
        StringBuilder sb = new StringBuilder();
        int last = -1;
        for (ResultItem r : results) {
            if (r.prompt() != last) {
                last = r.prompt();
                sb.append(sb.length() > 0 ? "\n" : "").append("Prompt ").append(r.prompt() + 1).append(": ")
                        .append(r.prompt() < runPrompts.size() ? runPrompts.get(r.prompt()) : "").append('\n');
            }
            sb.append("  #").append(r.rank() + 1).append("  score ").append(scoreText(r.score())).append("  ")
                    .append(r.satisfied() ? "satisfied" : "NOT satisfied").append('\n')
                    .append("      ").append(r.text()).append('\n');
        }
        return sb.toString();
    }

    /** @return the results as {@code atelier text --json} prints them */
    public ObjectNode resultsAsJson() {
        ObjectNode root = ConstraintSetFile.JSON.createObjectNode();
        ArrayNode list = root.putArray("outputs");
        for (ResultItem r : results) {
            ObjectNode n = list.addObject();
            n.put("prompt", r.prompt());
            n.put("rank", r.rank());
            ArrayNode toks = n.putArray("tokens");
            for (int t : r.tokens()) {
                toks.add(t);
            }
            n.put("text", r.text());
            if (r.score() == Double.NEGATIVE_INFINITY) {
                n.put("score", "-inf");
            } else {
                n.put("score", Math.round(r.score() * 1e4) / 1e4);
            }
            n.put("satisfied", r.satisfied());
            ArrayNode ms = n.putArray("matches");
            for (ResultItem.Span s : r.spans()) {
                ms.addObject().put("constraint", s.constraint()).put("start", s.start()).put("end", s.end());
            }
        }
        return root;
    }

    /**
     * Exports the results, as JSON when the file name ends in .json, else as text.
     *
     * @throws AtelierException if the file cannot be written
     */
    public void exportResults(Path file) {
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

    private static String scoreText(double s) {
        return s == Double.NEGATIVE_INFINITY ? "-inf" : String.format(Locale.ROOT, "%.4f", s);
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
        noRepeatNgram.set(clamp(s.noRepeatNgram, 0, 16, 0));
        numReturn.set(clamp(s.numReturn, 1, beams.get(), 1));
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

    /** For the latency benchmark: called with the nanoseconds from Generate to the results being set. */
    void setOnResultShown(Consumer<Long> listener) {
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

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty statusProperty() {
        return status;
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
