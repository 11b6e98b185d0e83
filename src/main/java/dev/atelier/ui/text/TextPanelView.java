package dev.atelier.ui.text;

import dev.atelier.AtelierException;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import java.io.File;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The Text panel: on the left the model, the prompts (one per line, one batch), the constraint builder and the
 * beam settings with Generate (Ctrl+Enter) and Cancel (Esc, this panel's run only); on the right the results
 * with each constraint's span in its chip's colour, and the live bank view. Showing the panel focuses the
 * prompt field.
 */
public final class TextPanelView extends BorderPane {
    private static final String DRAG_PREFIX = "atelier-chip:";
    private final TextPanelViewModel vm;
    private final TextArea prompts = new TextArea();
    private final VBox chipBox = new VBox(6);
    private final Map<ConstraintChip, ChipView> chipViews = new IdentityHashMap<>();
    private final Button generate = new Button("Generate");
    private final BankView bankView;
    private final BiConsumer<String, Throwable> errors;
    // bidirectional bindings hold their ends weakly: keep the adapters
    private final ObjectProperty<Integer> beamsObject;
    private final ObjectProperty<Integer> maxNewObject;
    private final ObjectProperty<Double> penaltyObject;
    private final ObjectProperty<Integer> noRepeatObject;
    private final ObjectProperty<Integer> numReturnObject;
    private final ObjectProperty<Integer> lookaheadObject;
    private final ObjectProperty<Double> lookaheadWeightObject;

    /**
     * @param vm the panel's view model
     * @param errors shows a failed action (save, load, export) to the user
     */
    public TextPanelView(TextPanelViewModel vm, BiConsumer<String, Throwable> errors) {
        this.vm = vm;
        this.errors = errors;
        setId("text-panel");
        getStyleClass().add("text-panel");
        beamsObject = vm.beamsProperty().asObject();
        maxNewObject = vm.maxNewTokensProperty().asObject();
        penaltyObject = vm.lengthPenaltyProperty().asObject();
        noRepeatObject = vm.noRepeatNgramProperty().asObject();
        numReturnObject = vm.numReturnProperty().asObject();
        lookaheadObject = vm.lookaheadProperty().asObject();
        lookaheadWeightObject = vm.lookaheadWeightProperty().asObject();
        bankView = new BankView(vm.bankHistory(), vm.runningShownProperty());

        VBox left = new VBox(10, heading(), modelRow(), promptSection(), constraintSection(), settingsSection());
        left.setPadding(new Insets(12));
        left.setFillWidth(true);
        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        leftScroll.getStyleClass().add("text-left");

        // Generate stays in view however long the constraint list grows
        BorderPane leftPane = new BorderPane(leftScroll);
        Node run = runSection();
        run.getStyleClass().add("run-bar");
        leftPane.setBottom(run);

        SplitPane right = new SplitPane(resultsSection(), bankView);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.5);
        SplitPane main = new SplitPane(leftPane, right);
        main.setDividerPositions(0.42);
        setCenter(main);

        // filters, not handlers: text fields consume Enter and Esc themselves
        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN).match(e)) {
                vm.generate();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE && vm.runningProperty().get()) {
                vm.cancel();
                e.consume();
            }
        });
    }

    /** Puts the keyboard focus in the prompt field (after the current layout pass). */
    public void focusPrompt() {
        Platform.runLater(prompts::requestFocus);
    }

    /** @return the view model */
    public TextPanelViewModel viewModel() {
        return vm;
    }

    /** @return the bank view (tests look at the step it shows) */
    BankView bankView() {
        return bankView;
    }

    private Node heading() {
        Label title = new Label("Text");
        title.getStyleClass().add("panel-title");
        Label purpose = new Label("Beam search with lexical constraints: each chip shows its tokens as the model "
                + "sees them; the bank view shows why a forced word lands where it does.");
        purpose.getStyleClass().add("panel-purpose");
        purpose.setWrapText(true);
        return new VBox(2, title, purpose);
    }

    private Node modelRow() {
        ComboBox<TextPanelViewModel.ModelChoice> picker = new ComboBox<>(vm.models());
        picker.setId("text-model");
        picker.valueProperty().bindBidirectional(vm.modelProperty());
        picker.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(picker, Priority.ALWAYS);
        Button open = new Button("Open…");
        open.setId("text-open-model");
        open.setTooltip(new Tooltip("A bigram .json file, or a language-model directory (choose its manifest.json "
                + "or TorchScript weights)"));
        open.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Open a language model");
            fc.getExtensionFilters().addAll(
                    new FileChooser.ExtensionFilter("Language models (manifest.json, bigram .json, TorchScript)",
                            "*.json", "*.pt", "*.ts", "*.ndlist"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) {
                vm.openModel(f.toPath());
            }
        });
        Label l = new Label("Model");
        l.getStyleClass().add("section-title");
        l.setMinWidth(Region.USE_PREF_SIZE);
        open.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(8, l, picker, open);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private Node promptSection() {
        Label l = new Label("Prompts — one per line, all lines run as one batch");
        l.getStyleClass().add("section-title");
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        // offered on an empty panel only, so it never replaces the user's prompts or constraints
        Button example = new Button("_Example");
        example.setId("text-example");
        example.setMnemonicParsing(true);
        example.setMinWidth(Region.USE_PREF_SIZE);
        example.setTooltip(new Tooltip("Fill in an example to try (Alt+E): the prompt \""
                + TextPanelViewModel.EXAMPLE_PROMPT + "\" with a phrase and an any-of group. Offered while the "
                + "prompts and the constraints are empty."));
        example.visibleProperty().bind(vm.exampleOfferedProperty());
        example.managedProperty().bind(example.visibleProperty());
        example.setOnAction(e -> {
            if (vm.loadExample()) {
                prompts.requestFocus();
                prompts.end();
            }
        });
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox header = new HBox(8, l, gap, example);
        header.setAlignment(Pos.CENTER_LEFT);
        prompts.setId("text-prompts");
        prompts.setPromptText("Type a prompt here, e.g. " + TextPanelViewModel.EXAMPLE_PROMPT); // (one line only)
        prompts.setPrefRowCount(3);
        prompts.setWrapText(false);
        prompts.textProperty().bindBidirectional(vm.promptsProperty());
        // a prompt has no use for tab characters: Tab and Shift+Tab move on, as in every other field
        prompts.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.TAB && !e.isControlDown() && !e.isAltDown() && !e.isMetaDown()) {
                prompts.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.TAB, e.isShiftDown(), true,
                        false, false));
                e.consume();
            }
        });
        return new VBox(4, header, prompts);
    }

    private Node constraintSection() {
        Label l = new Label("Constraints");
        l.getStyleClass().add("section-title");
        FlowPane adders = new FlowPane(6, 6);
        adders.getChildren().addAll(
                adder("+ Phrase", "add-phrase", ConstraintSpec.Kind.PHRASE, "Words that must appear, in this order"),
                adder("+ Any of", "add-any", ConstraintSpec.Kind.ANY, "At least one of several options"),
                adder("+ In order", "add-ordered", ConstraintSpec.Kind.ORDERED,
                        "Phrases that must appear in this order, with anything between"),
                adder("+ Template", "add-template", ConstraintSpec.Kind.TEMPLATE,
                        "Words with gaps: _ is one token, _3 three tokens"),
                adder("+ Ban", "add-ban", ConstraintSpec.Kind.BAN, "A phrase that must not appear"));
        Button save = new Button("Save…");
        save.setId("constraints-save");
        save.setTooltip(new Tooltip("Save the prompts and constraints as JSON (atelier text --constraints reads it)"));
        save.setOnAction(e -> {
            FileChooser fc = jsonChooser("Save the constraint set");
            fc.setInitialFileName("constraints.json");
            File f = fc.showSaveDialog(getScene().getWindow());
            if (f != null) {
                act(() -> vm.saveConstraints(f.toPath()));
            }
        });
        Button load = new Button("Load…");
        load.setId("constraints-load");
        load.setOnAction(e -> {
            File f = jsonChooser("Load a constraint set").showOpenDialog(getScene().getWindow());
            if (f != null) {
                act(() -> vm.loadConstraints(f.toPath()));
            }
        });
        // after the chips, so that Tab goes from the prompts to the adders and the chips first
        HBox files = new HBox(8, load, save);
        files.setAlignment(Pos.CENTER_RIGHT);

        chipBox.setId("constraint-chips");
        chipBox.setMinHeight(24);
        vm.chips().addListener((ListChangeListener<ConstraintChip>) c -> {
            boolean structural = false;
            while (c.next()) {
                structural |= c.wasAdded() || c.wasRemoved() || c.wasPermutated();
            }
            if (structural) {
                rebuildChips();
            }
        });
        chipBox.setOnDragOver(e -> {
            if (e.getDragboard().hasString() && e.getDragboard().getString().startsWith(DRAG_PREFIX)) {
                e.acceptTransferModes(TransferMode.MOVE);
            }
            e.consume();
        });
        chipBox.setOnDragDropped(this::dropChip);
        rebuildChips();
        return new VBox(6, l, adders, chipBox, files);
    }

    private FileChooser jsonChooser(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Constraint sets (*.json)", "*.json"));
        return fc;
    }

    private Button adder(String text, String id, ConstraintSpec.Kind kind, String tip) {
        Button b = new Button(text);
        b.setId(id);
        b.getStyleClass().add("chip-adder");
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> {
            ConstraintChip c = vm.addChip(kind);
            ChipView v = chipViews.get(c);
            if (v != null && v.firstField() != null) {
                Platform.runLater(v.firstField()::requestFocus);
            }
        });
        return b;
    }

    private void rebuildChips() {
        chipViews.keySet().retainAll(vm.chips());
        chipBox.getChildren().clear();
        if (vm.chips().isEmpty()) {
            Label hint = new Label("No constraints: plain beam search. Add a phrase, an any-of group, an ordered "
                    + "group, a template or a ban.");
            hint.getStyleClass().add("hint");
            hint.setWrapText(true);
            chipBox.getChildren().add(hint);
            return;
        }
        for (ConstraintChip c : vm.chips()) {
            ChipView v = chipViews.computeIfAbsent(c, chip -> {
                ChipView view = new ChipView(chip, vm.promptCountProperty(), () -> vm.removeChip(chip),
                        delta -> moveKeepingFocus(chip, delta));
                view.lookup(".chip-handle").setOnDragDetected(e -> {
                    var db = view.startDragAndDrop(TransferMode.MOVE);
                    ClipboardContent content = new ClipboardContent();
                    content.putString(DRAG_PREFIX + vm.chips().indexOf(chip));
                    db.setContent(content);
                    db.setDragView(view.snapshot(null, null));
                    e.consume();
                });
                return view;
            });
            chipBox.getChildren().add(v);
        }
    }

    /** Moves a chip by one place; the field that had the keyboard keeps it (the chip's view is re-added). */
    private void moveKeepingFocus(ConstraintChip chip, int delta) {
        Node focused = getScene() == null ? null : getScene().getFocusOwner();
        vm.moveChip(vm.chips().indexOf(chip), vm.chips().indexOf(chip) + delta);
        if (focused != null) {
            focused.requestFocus();
        }
    }

    private void dropChip(DragEvent e) {
        String s = e.getDragboard().hasString() ? e.getDragboard().getString() : "";
        if (!s.startsWith(DRAG_PREFIX)) {
            return;
        }
        int from = Integer.parseInt(s.substring(DRAG_PREFIX.length()));
        vm.moveChip(from, dropIndex(e.getY(), from));
        e.setDropCompleted(true);
        e.consume();
    }

    /** @return where a chip dropped at {@code y} (in the chip box) ends up */
    int dropIndex(double y, int from) {
        int index = 0;
        for (Node n : chipBox.getChildren()) {
            if (!(n instanceof ChipView)) {
                continue;
            }
            double mid = n.getBoundsInParent().getMinY() + n.getBoundsInParent().getHeight() / 2;
            if (y > mid) {
                index++;
            }
        }
        return index > from ? index - 1 : index;
    }

    private Node settingsSection() {
        Label l = new Label("Beam search");
        l.getStyleClass().add("section-title");
        Spinner<Integer> beams = intSpinner("text-beams", 1, 64, beamsObject);
        Spinner<Integer> maxNew = intSpinner("text-max-new", 1, 512, maxNewObject);
        Spinner<Double> penalty = doubleSpinner("text-length-penalty", -5.0, 5.0, penaltyObject);
        Spinner<Integer> noRepeat = intSpinner("text-no-repeat", 0, 16, noRepeatObject);
        Spinner<Integer> numReturn = intSpinner("text-num-return", 1, 64, numReturnObject);
        ChoiceBox<EarlyStopping> early = new ChoiceBox<>();
        early.getItems().setAll(EarlyStopping.values());
        early.setId("text-early-stopping");
        early.valueProperty().bindBidirectional(vm.earlyStoppingProperty());
        ChoiceBox<SearchMode> mode = new ChoiceBox<>();
        mode.getItems().setAll(SearchMode.values());
        mode.setId("text-mode");
        mode.valueProperty().bindBidirectional(vm.modeProperty());
        mode.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(SearchMode m) {
                return m == null ? "" : m == SearchMode.HF ? "hf (transformers 4.57)" : "strict";
            }

            @Override
            public SearchMode fromString(String s) {
                return s.startsWith("hf") ? SearchMode.HF : SearchMode.STRICT;
            }
        });
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.addRow(0, new Label("Beams"), beams, new Label("New tokens"), maxNew);
        g.addRow(1, new Label("Results per prompt"), numReturn, new Label("Length penalty"), penalty);
        g.addRow(2, new Label("No-repeat n-gram"), noRepeat, new Label("Early stopping"), early);
        g.addRow(3, new Label("Mode"), mode);
        GridPane.setColumnSpan(mode, 3);

        // strict mode only: hf mode reproduces Hugging Face, which has neither
        CheckBox lookOn = new CheckBox("Lookahead");
        lookOn.setId("text-lookahead-on");
        lookOn.selectedProperty().bindBidirectional(vm.lookaheadOnProperty());
        lookOn.setTooltip(new Tooltip("Before keeping a beam, look a few tokens ahead to see how easily it can still "
                + "fit the constraints it has not met yet. Forced words then land where they read naturally, "
                + "instead of being squeezed in at the end. Costs time: each step runs the model a little further. "
                + "Strict mode only."));
        Spinner<Integer> lookDepth = intSpinner("text-lookahead", 1, BeamSearchConfig.MAX_LOOKAHEAD, lookaheadObject);
        lookDepth.setTooltip(new Tooltip("How many tokens to look ahead (1 to " + BeamSearchConfig.MAX_LOOKAHEAD
                + "). Further sees more but is slower; 1 is usually enough."));
        Spinner<Double> lookWeight = doubleSpinner("text-lookahead-weight", 0.0, 10.0, lookaheadWeightObject);
        lookWeight.setTooltip(new Tooltip("How much the look ahead counts next to the text's own likelihood when "
                + "beams are ranked: 0 ignores it, 1 is the default, more pushes harder towards the constraints. "
                + "The scores shown never include it."));
        lookDepth.disableProperty().bind(lookOn.selectedProperty().not().or(lookOn.disabledProperty()));
        lookWeight.disableProperty().bind(lookDepth.disabledProperty());
        Label depthLabel = new Label("tokens,");
        Label weightLabel = new Label("weight");
        depthLabel.setMinWidth(Region.USE_PREF_SIZE);
        weightLabel.setMinWidth(Region.USE_PREF_SIZE);
        depthLabel.setLabelFor(lookDepth);
        weightLabel.setLabelFor(lookWeight);
        HBox lookRow = new HBox(8, lookOn, lookDepth, depthLabel, weightLabel, lookWeight);
        lookRow.setAlignment(Pos.CENTER_LEFT);
        CheckBox healing = new CheckBox("Token healing");
        healing.setId("text-token-healing");
        healing.selectedProperty().bindBidirectional(vm.tokenHealingProperty());
        healing.setTooltip(new Tooltip("Let the first generated token redo the end of the prompt, so a prompt that "
                + "stops mid-word can finish it (\"The child\" can go on as \"The childhood\") instead of starting "
                + "a new word. The result still starts with your prompt. Strict mode only."));
        for (CheckBox c : new CheckBox[] {lookOn, healing}) {
            c.disableProperty().bind(vm.modeProperty().isEqualTo(SearchMode.HF));
        }
        g.add(lookRow, 0, 4, 4, 1);
        g.add(healing, 0, 5, 4, 1);
        // labels keep their words in a narrow column; the spinners give way instead
        for (Node n : g.getChildren()) {
            if (n instanceof Label label) {
                label.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
        return new VBox(6, l, g);
    }

    private static Spinner<Double> doubleSpinner(String id, double min, double max, ObjectProperty<Double> value) {
        Spinner<Double> s = new Spinner<>(min, max, value.get(), 0.1);
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(90);
        s.getValueFactory().valueProperty().bindBidirectional(value);
        return s;
    }

    private static Spinner<Integer> intSpinner(String id, int min, int max, ObjectProperty<Integer> value) {
        Spinner<Integer> s = new Spinner<>(min, max, value.get());
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(80);
        s.getValueFactory().valueProperty().bindBidirectional(value);
        return s;
    }

    private Node runSection() {
        generate.setId("text-generate");
        generate.setDefaultButton(false);
        generate.getStyleClass().add("accent-button");
        generate.setOnAction(e -> vm.generate());
        generate.disableProperty().bind(vm.blockReasonProperty().isNotNull());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.blockReasonProperty().get() != null ? vm.blockReasonProperty().get()
                        : "Generate for every prompt (Ctrl+Enter)", vm.blockReasonProperty()));
        generate.setTooltip(tip);
        // a disabled button shows no tooltip: its holder shows the same one
        StackPane holder = new StackPane(generate);
        Tooltip.install(holder, tip);
        Button cancel = new Button("Cancel");
        cancel.setId("text-cancel");
        cancel.setTooltip(new Tooltip("Stop this run (Esc)"));
        cancel.disableProperty().bind(vm.runningShownProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        ProgressBar bar = new ProgressBar();
        bar.setId("text-progress");
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.runningShownProperty());
        // room only while it shows: the run summary after it needs the narrow column's width
        bar.managedProperty().bind(bar.visibleProperty());
        bar.setPrefWidth(110);
        bar.setMinWidth(60);
        Label status = new Label();
        status.setId("text-status");
        status.textProperty().bind(vm.statusProperty());
        // in a narrow column the line is cut short: the whole of it on hover
        Tooltip statusTip = new Tooltip();
        statusTip.textProperty().bind(vm.statusProperty());
        status.setTooltip(statusTip);
        HBox row = new HBox(8, holder, cancel, bar, status);
        row.setAlignment(Pos.CENTER_LEFT);
        generate.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        Label reason = new Label();
        reason.setId("text-block-reason");
        reason.getStyleClass().add("block-reason");
        // the first view's missing prompt is a neutral hint; after that, and for every other reason, an error
        vm.blockIsHintProperty().addListener((o, was, hint) -> styleReason(reason, hint));
        styleReason(reason, vm.blockIsHintProperty().get());
        reason.setWrapText(true);
        reason.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.runningProperty().get() || vm.blockReasonProperty().get() == null ? ""
                        : vm.blockReasonProperty().get(), vm.blockReasonProperty(), vm.runningProperty()));
        reason.visibleProperty().bind(reason.textProperty().isNotEmpty());
        reason.managedProperty().bind(reason.visibleProperty());
        VBox box = new VBox(6, row, reason);
        box.setPadding(new Insets(8, 12, 8, 12));
        return box;
    }

    private static void styleReason(Label reason, boolean hint) {
        reason.getStyleClass().removeAll("block-reason", "hint");
        reason.getStyleClass().add(hint ? "hint" : "block-reason");
    }

    private Node resultsSection() {
        Label l = new Label("Results");
        l.getStyleClass().add("section-title");
        Button copyAll = new Button("Copy all");
        copyAll.setId("results-copy-all");
        copyAll.setOnAction(e -> copy(vm.resultsAsText()));
        Button export = new Button("Export…");
        export.setId("results-export");
        export.setTooltip(new Tooltip("Save the results as text (.txt) or as atelier text --json does (.json)"));
        export.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Export the results");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("JSON (*.json)", "*.json"),
                    new FileChooser.ExtensionFilter("Text (*.txt)", "*.txt"));
            fc.setInitialFileName("results.json");
            File f = fc.showSaveDialog(getScene().getWindow());
            if (f != null) {
                act(() -> vm.exportResults(f.toPath()));
            }
        });
        copyAll.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.results()));
        export.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.results()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, l, spacer, copyAll, export);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(6, 6, 0, 6));
        ResultsView results = new ResultsView(vm.results(), vm.runPrompts(), r -> copy(r.text()));
        VBox.setVgrow(results, Priority.ALWAYS);
        return new VBox(4, header, results);
    }

    private static void copy(String text) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
    }

    private void act(Runnable action) {
        try {
            action.run();
        } catch (AtelierException e) {
            errors.accept(e.getMessage(), e);
        }
    }

    /** Loads a constraint set from a path (drop target and tests use the same path as Load…). */
    void load(Path file) {
        act(() -> vm.loadConstraints(file));
    }
}
