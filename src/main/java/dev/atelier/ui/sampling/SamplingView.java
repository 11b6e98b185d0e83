package dev.atelier.ui.sampling;

import dev.atelier.AtelierException;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.ui.common.FieldProblems;
import dev.atelier.ui.common.GuidanceControl;
import dev.atelier.ui.common.ImageActions;
import dev.atelier.ui.common.PixelView;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

/**
 * The Sampling panel: the form on the left (model, steps, seed, count, class, guidance, interpolation, Generate), the
 * results grid in the middle (1 step beside it with "compare"), the selected result large on the right, and
 * the history strip below. Dropping a model or a PNG made by Atelier on the panel opens or restores it.
 */
public final class SamplingView extends BorderPane {
    private static final KeyCombination RUN = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);

    private final SamplingViewModel vm;
    private final Slider stepsSlider = new Slider(1, 64, 2);
    private final Button generate = new Button("Generate");
    private final TilePane grid = new TilePane(4, 4);
    private final TilePane oneStepGrid = new TilePane(4, 4);
    private final HBox historyStrip = new HBox(6);
    private final Map<SampleHistory.Entry, Node> historyNodes = new IdentityHashMap<>();
    private final PixelView large = new PixelView();
    private final Label largeCaption = new Label();

    /** @param vm the panel's view model */
    public SamplingView(SamplingViewModel vm) {
        this.vm = vm;
        setId("sampling-view");
        getStyleClass().add("sampling-view");
        setLeft(form());
        setCenter(resultsArea());
        setRight(largeArea());
        setBottom(historyArea());
        installKeys();
        installDrop();
    }

    /** @return the control that gets the focus when the panel is shown (Generate) */
    public Node mainControl() {
        return generate;
    }

    /** Puts the keyboard focus on Generate (the window calls it when the panel is selected). */
    public void focusMainControl() {
        generate.requestFocus();
    }

    // ---- form ---------------------------------------------------------------------------------------------

    private Node form() {
        ComboBox<String> model = new ComboBox<>(vm.models());
        model.setId("sampling-model");
        model.setMaxWidth(Double.MAX_VALUE);
        model.valueProperty().bindBidirectional(vm.modelProperty());
        model.setOnAction(e -> {
            String chosen = model.getValue();
            if (chosen != null && (vm.modelInfoProperty().get() == null
                    || !chosen.equals(vm.modelInfoProperty().get().name()))) {
                vm.selectModel(chosen);
            }
        });
        Button open = new Button("Open model…");
        open.setId("sampling-open-model");
        open.setOnAction(e -> openModelDialog());
        Label modelName = new Label();
        modelName.getStyleClass().add("hint");
        modelName.setWrapText(true);
        modelName.setMinHeight(Region.USE_PREF_SIZE); // wrapped whole, never cut to "…"
        modelName.textProperty().bind(Bindings.createStringBinding(() -> {
            dev.atelier.app.ModelDescription i = vm.modelInfoProperty().get();
            return i == null ? "Loading…" : (i.title() == null ? i.name() : i.title()) + " · " + i.size() + "×" + i.size() + (i.channels() == 1 ? " gray"
                    : " RGB") + (i.classes().isEmpty() ? "" : " · " + i.classes().size() + " classes");
        }, vm.modelInfoProperty()));

        stepsSlider.setId("sampling-steps");
        stepsSlider.setMin(1);
        stepsSlider.maxProperty().bind(vm.maxStepsProperty());
        stepsSlider.setMajorTickUnit(7);
        stepsSlider.setMinorTickCount(6);
        stepsSlider.setShowTickMarks(true);
        stepsSlider.setShowTickLabels(true);
        stepsSlider.setSnapToTicks(true);
        stepsSlider.setBlockIncrement(1);
        stepsSlider.setValue(vm.stepsProperty().get());
        Label stepsLabel = new Label();
        stepsLabel.setId("sampling-steps-label");
        stepsLabel.textProperty().bind(Bindings.createStringBinding(
                () -> "Steps: " + Math.round(stepsSlider.getValue()), stepsSlider.valueProperty()));
        vm.stepsProperty().addListener((o, was, now) -> {
            if (Math.round(stepsSlider.getValue()) != now.intValue()) {
                stepsSlider.setValue(now.intValue());
            }
        });
        stepsSlider.valueProperty().addListener((o, was, now) -> {
            int v = (int) Math.round(now.doubleValue());
            if (v == (int) Math.round(was.doubleValue())) {
                return;
            }
            if (stepsSlider.isValueChanging()) {
                vm.stepsDragged(v);
            } else if (v != vm.stepsProperty().get()) {
                vm.stepsProperty().set(v);
                vm.stepsKeyed();
            }
        });
        stepsSlider.valueChangingProperty().addListener((o, was, changing) -> {
            if (!changing) {
                vm.stepsCommitted((int) Math.round(stepsSlider.getValue()));
            }
        });
        CheckBox compare = new CheckBox("Compare with 1 step");
        compare.setId("sampling-compare");
        compare.selectedProperty().bindBidirectional(vm.compareProperty());

        TextField seed = longField("sampling-seed", vm.seedProperty());
        ToggleButton reuse = new ToggleButton("Reuse");
        reuse.setId("sampling-seed-reuse");
        reuse.setTooltip(new Tooltip("On: Generate reuses this seed. Off: a new random seed for every run."));
        reuse.setSelected(!vm.randomSeedProperty().get());
        reuse.selectedProperty().addListener((o, a, b) -> vm.randomSeedProperty().set(!b));
        vm.randomSeedProperty().addListener((o, a, b) -> reuse.setSelected(!b));
        Button dice = new Button("New");
        dice.setId("sampling-seed-random");
        dice.setTooltip(new Tooltip("A new random seed now"));
        reuse.setMinWidth(Region.USE_PREF_SIZE);
        dice.setMinWidth(Region.USE_PREF_SIZE);
        dice.setOnAction(e -> vm.seedProperty().set(java.util.concurrent.ThreadLocalRandom.current()
                .nextLong(0, 1L << 31)));
        // the seed has the row to itself (the longest seed the field takes stays whole); its buttons go below
        HBox seedButtons = new HBox(4, reuse, dice);

        Spinner<Integer> count = new Spinner<>(1, SamplingViewModel.MAX_COUNT, vm.countProperty().get());
        count.setId("sampling-count");
        count.setEditable(true);
        count.setMaxWidth(Double.MAX_VALUE);
        count.valueProperty().addListener((o, a, b) -> vm.countProperty().set(b));
        vm.countProperty().addListener((o, a, b) -> count.getValueFactory().setValue(b.intValue()));

        ComboBox<String> classes = new ComboBox<>(vm.classChoices());
        classes.setId("sampling-class");
        classes.setMaxWidth(Double.MAX_VALUE);
        classes.valueProperty().bindBidirectional(vm.classChoiceProperty());
        classes.disableProperty().bind(Bindings.isEmpty(vm.classChoices()));
        GuidanceControl guidance = new GuidanceControl("sampling", vm.guidanceProperty(),
                vm.guidanceDefaultProperty(), vm.guidableProperty(), vm.unguidableReasonProperty());

        CheckBox interpolate = new CheckBox("Interpolate between two seeds");
        interpolate.setId("sampling-interpolate");
        interpolate.selectedProperty().bindBidirectional(vm.interpolateProperty());
        TextField seedB = longField("sampling-seed-b", vm.seedBProperty());
        seedB.disableProperty().bind(vm.interpolateProperty().not());
        Slider frame = new Slider(0, 1, 0);
        frame.setId("sampling-frame");
        frame.setBlockIncrement(1);
        frame.setMajorTickUnit(1);
        frame.setMinorTickCount(0);
        frame.setSnapToTicks(true);
        frame.setShowTickMarks(true);
        frame.maxProperty().bind(Bindings.createIntegerBinding(() -> Math.max(1, vm.results().size() - 1),
                vm.results()));
        frame.valueProperty().addListener((o, a, b) -> vm.frameProperty().set((int) Math.round(b.doubleValue())));
        vm.frameProperty().addListener((o, a, b) -> frame.setValue(b.intValue()));
        frame.disableProperty().bind(vm.interpolateProperty().not().or(
                Bindings.createBooleanBinding(() -> !(vm.shownRequest() instanceof dev.atelier.consistency.EditRequest),
                        vm.results())));
        Tooltip.install(frame, new Tooltip("Move along the frames from seed A (left) to seed B (right): the engine "
                + "interpolates the two noises spherically (slerp); Count sets the number of frames."));

        generate.setId("sampling-generate");
        generate.setDefaultButton(false);
        generate.setMaxWidth(Double.MAX_VALUE);
        generate.getStyleClass().add("primary");
        generate.textProperty().bind(Bindings.when(vm.runningShownProperty()).then("Cancel (Esc)")
                .otherwise("Generate (Ctrl+Enter)"));
        generate.setOnAction(e -> vm.generateOrCancel());
        ProgressBar bar = new ProgressBar();
        bar.setId("sampling-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.runningShownProperty());
        Label summary = new Label();
        summary.setId("sampling-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(vm.summaryProperty());
        summary.getStyleClass().add("hint");
        summary.setMinHeight(Region.USE_PREF_SIZE);

        FieldProblems.install(vm.problemFieldProperty(), Map.of("model", model, "steps", stepsSlider,
                "sigmas", stepsSlider, "seed", seed, "count", count, "frames", count, "classLabel", classes,
                "seedB", seedB, "guidance", guidance.spinner));

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(4); // the whole form, the model line and a three-line summary fit an 800-pixel window
        int r = 0;
        g.addRow(r++, new Label("Model"), model);
        g.add(open, 1, r++);
        g.add(modelName, 0, r++, 2, 1);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox stepsRow = new HBox(8, stepsLabel, gap, compare); // one row: the form fits an 800-pixel window
        stepsRow.setAlignment(Pos.CENTER_LEFT);
        stepsLabel.setMinWidth(Region.USE_PREF_SIZE);
        g.add(stepsRow, 0, r++, 2, 1);
        g.add(stepsSlider, 0, r++, 2, 1);
        g.addRow(r++, new Label("Seed"), seed);
        g.add(seedButtons, 1, r++);
        g.addRow(r++, new Label("Count"), count);
        g.addRow(r++, new Label("Class"), classes);
        g.addRow(r++, guidance.label, guidance.row);
        g.add(new Separator(), 0, r++, 2, 1);
        g.add(interpolate, 0, r++, 2, 1);
        g.addRow(r++, new Label("Seed B"), seedB);
        g.add(frame, 0, r++, 2, 1);
        g.add(new Separator(), 0, r++, 2, 1);
        g.add(generate, 0, r++, 2, 1);
        g.add(bar, 0, r++, 2, 1);
        g.add(summary, 0, r++, 2, 1);
        javafx.scene.layout.ColumnConstraints c0 = new javafx.scene.layout.ColumnConstraints();
        javafx.scene.layout.ColumnConstraints c1 = new javafx.scene.layout.ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(c0, c1);
        g.setPrefWidth(290);
        g.setMaxWidth(290);
        g.setPadding(new Insets(0, 12, 0, 0));
        return g;
    }

    /** The most digits a seed field takes (any long below 10^18). */
    static final int MAX_SEED_DIGITS = 18;

    private static TextField longField(String id, javafx.beans.property.LongProperty value) {
        TextField f = new TextField();
        f.setId(id);
        f.setPrefColumnCount(10);
        // never narrower than the longest seed it takes in its own font: a seed is never shown cut
        javafx.beans.InvalidationListener fit = o -> f.setMinWidth(Math.ceil(widestDigit(f.getFont())
                * MAX_SEED_DIGITS + f.snappedLeftInset() + f.snappedRightInset()) + 2); // + the caret
        f.fontProperty().addListener(fit);
        f.insetsProperty().addListener(fit);
        fit.invalidated(null);
        TextFormatter<Long> fmt = new TextFormatter<>(new StringConverter<Long>() {
            @Override
            public String toString(Long v) {
                return v == null ? "" : Long.toString(v);
            }

            @Override
            public Long fromString(String s) {
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    return value.get();
                }
            }
        }, value.get(), c -> c.getControlNewText().matches("\\d{0," + MAX_SEED_DIGITS + "}") ? c : null);
        f.setTextFormatter(fmt);
        fmt.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                value.set(b);
            }
        });
        value.addListener((o, a, b) -> fmt.setValue(b.longValue()));
        return f;
    }

    /** @return the width of the widest digit in {@code font} */
    static double widestDigit(javafx.scene.text.Font font) {
        double w = 0;
        for (char d = '0'; d <= '9'; d++) {
            javafx.scene.text.Text t = new javafx.scene.text.Text(String.valueOf(d));
            t.setFont(font);
            w = Math.max(w, t.getLayoutBounds().getWidth());
        }
        return w;
    }

    // ---- results ------------------------------------------------------------------------------------------

    private Node resultsArea() {
        grid.setId("sampling-results");
        oneStepGrid.setId("sampling-results-1step");
        grid.setPrefColumns(4);
        oneStepGrid.setPrefColumns(4);
        vm.results().addListener((ListChangeListener<SampleImage>) c -> refillGrid(grid, vm.results()));
        vm.oneStepResults().addListener((ListChangeListener<SampleImage>) c -> refillGrid(oneStepGrid,
                vm.oneStepResults()));
        vm.selectedProperty().addListener((o, a, b) -> {
            oneTabStop(grid);
            oneTabStop(oneStepGrid);
        });
        Label oneStepTitle = new Label("1 step");
        Label chosenTitle = new Label();
        chosenTitle.textProperty().bind(Bindings.createStringBinding(() -> vm.shownRequest() == null ? ""
                : vm.shownRequest().sigmas().size() + " steps", vm.results()));
        VBox oneStepBox = new VBox(4, oneStepTitle, oneStepGrid);
        VBox chosenBox = new VBox(4, chosenTitle, grid);
        oneStepBox.visibleProperty().bind(Bindings.isNotEmpty(vm.oneStepResults()));
        oneStepBox.managedProperty().bind(oneStepBox.visibleProperty());
        chosenTitle.visibleProperty().bind(oneStepBox.visibleProperty());
        chosenTitle.managedProperty().bind(oneStepBox.visibleProperty());
        HBox both = new HBox(16, oneStepBox, chosenBox);
        both.setPadding(new Insets(2));
        Label empty = new Label("Press Generate (Ctrl+Enter) to sample. Drop a model folder, a TorchScript "
                + "file or a PNG made by Atelier here.");
        empty.setWrapText(true);
        empty.getStyleClass().add("hint");
        empty.visibleProperty().bind(Bindings.isEmpty(vm.results()));
        empty.managedProperty().bind(empty.visibleProperty());
        ScrollPane scroll = new ScrollPane(new VBox(8, empty, both));
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("results-scroll");
        return scroll;
    }

    private void refillGrid(TilePane pane, List<SampleImage> list) {
        // the same number of tiles at the same enlargement (a live preview, a resample with other steps):
        // the tiles take the new images in place; anything else rebuilds the grid
        int factor = list.isEmpty() ? 4 : tileFactor((int) list.get(0).image().getWidth(), list.size(),
                vm.compareProperty().get());
        boolean inPlace = pane.getChildren().size() == list.size();
        for (int i = 0; inPlace && i < list.size(); i++) {
            inPlace = ((Tile) pane.getChildren().get(i)).fits(list.get(i), factor);
        }
        if (inPlace) {
            for (int i = 0; i < list.size(); i++) {
                Tile t = (Tile) pane.getChildren().get(i);
                if (t.image != list.get(i)) {
                    t.set(list.get(i));
                }
            }
            oneTabStop(pane);
            return;
        }
        List<Node> tiles = new java.util.ArrayList<>(list.size());
        for (SampleImage s : list) {
            Tile t = new Tile(factor);
            t.set(s);
            tiles.add(t);
        }
        pane.getChildren().setAll(tiles);
        pane.setPrefColumns(dev.atelier.image.PngImages.columns(list.size()));
        oneTabStop(pane);
    }

    /**
     * A grid is one stop for Tab (the selected tile, else the first), so Tab passes a batch of 64 in one press;
     * the arrow keys move within it.
     */
    private void oneTabStop(TilePane pane) {
        List<Node> tiles = pane.getChildrenUnmodifiable();
        boolean holdsSelected = tiles.stream().anyMatch(t -> ((Tile) t).image == vm.selectedProperty().get());
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = (Tile) tiles.get(i);
            t.setFocusTraversable(holdsSelected ? t.image == vm.selectedProperty().get() : i == 0);
        }
    }

    /** Enlargement of grid tiles: about 112 px for a 28 px model, smaller for big batches and side by side. */
    private static int tileFactor(int size, int n, boolean sideBySide) {
        int target = (n > 64 ? 56 : n > 16 ? 84 : 112) / (sideBySide ? 2 : 1);
        return Math.max(1, target / Math.max(1, size));
    }

    /** One result in the grid: enlarged crisp, seed and class on hover, click to show large, a context menu. */
    private final class Tile extends PixelView {
        private SampleImage image;
        private final Tooltip tip = new Tooltip();
        private final ContextMenu menu = new ContextMenu();
        private final int factor;

        Tile(int factor) {
            this.factor = factor;
            setPreferredFactor(factor);
            getStyleClass().add("result-tile");
            Tooltip.install(this, tip);
            setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY) {
                    select();
                }
            });
            // keyboard: Tab reaches the grid (see oneTabStop), the arrow keys each tile, which then shows large;
            // the menu key opens its menu
            focusedProperty().addListener((o, was, now) -> {
                if (now) {
                    select();
                }
            });
            setOnKeyPressed(e -> {
                // the menu key or Shift+F10 opens the menu below the tile (GTK sends no context-menu event for them)
                if (e.getCode() == KeyCode.CONTEXT_MENU || e.getCode() == KeyCode.F10 && e.isShiftDown()) {
                    menu.show(this, javafx.geometry.Side.BOTTOM, 0, 0);
                    e.consume();
                    return;
                }
                int step = switch (e.getCode()) {
                    case LEFT -> -1;
                    case RIGHT -> 1;
                    case UP -> -columns();
                    case DOWN -> columns();
                    default -> 0;
                };
                List<Node> tiles = getParent().getChildrenUnmodifiable();
                int next = tiles.indexOf(this) + step;
                if (step != 0 && next >= 0 && next < tiles.size()) {
                    tiles.get(next).requestFocus();
                    e.consume();
                }
            });
            MenuItem save = new MenuItem("Save PNG…");
            save.setOnAction(e -> saveDialog(image));
            MenuItem copy = new MenuItem("Copy");
            copy.setOnAction(e -> vm.copy(image));
            MenuItem send = new MenuItem("Send to Inpainting");
            send.setOnAction(e -> vm.sendToInpainting(image));
            MenuItem reuse = new MenuItem("Reuse this seed");
            reuse.setOnAction(e -> vm.restore(image.parameters()));
            menu.getItems().setAll(save, copy, send, reuse);
            setOnContextMenuRequested(e -> menu.show(this, e.getScreenX(), e.getScreenY()));
        }

        /** @return the tiles per row of the grid as laid out now */
        private int columns() {
            TilePane pane = (TilePane) getParent();
            double w = getWidth() + pane.getHgap();
            return Math.max(1, (int) ((pane.getWidth() - pane.snappedLeftInset() - pane.snappedRightInset()
                    + pane.getHgap()) / Math.max(1, w)));
        }

        private void select() {
            if (image != null) {
                vm.selectedProperty().set(image);
                if (vm.interpolateProperty().get()) {
                    vm.frameProperty().set(vm.results().indexOf(image));
                }
            }
        }

        /** @return true if this tile can show {@code s} in place: same enlargement, same image size */
        boolean fits(SampleImage s, int wanted) {
            return factor == wanted && image != null && image.image().getWidth() == s.image().getWidth()
                    && image.image().getHeight() == s.image().getHeight();
        }

        void set(SampleImage s) {
            image = s;
            setImage(s.image());
            tip.setText(s.caption());
        }
    }

    private Node largeArea() {
        large.setId("sampling-large");
        large.setPreferredFactor(8);
        large.setMinSize(112, 112);
        large.imageProperty().bind(Bindings.createObjectBinding(() -> {
            SampleImage s = vm.selectedProperty().get();
            return s == null ? null : s.image();
        }, vm.selectedProperty()));
        largeCaption.setId("sampling-large-caption");
        largeCaption.setWrapText(true);
        largeCaption.textProperty().bind(Bindings.createStringBinding(() -> {
            SampleImage s = vm.selectedProperty().get();
            return s == null ? "" : s.caption();
        }, vm.selectedProperty()));
        Button save = new Button("Save PNG…");
        save.setId("sampling-save");
        save.setOnAction(e -> saveDialog(vm.selectedProperty().get()));
        Button copy = new Button("Copy");
        copy.setId("sampling-copy");
        copy.setOnAction(e -> vm.copy(vm.selectedProperty().get()));
        Button send = new Button("Send to Inpainting");
        send.setId("sampling-send");
        send.setOnAction(e -> vm.sendToInpainting(vm.selectedProperty().get()));
        for (Button b : List.of(save, copy, send)) {
            b.disableProperty().bind(vm.selectedProperty().isNull());
            b.setMaxWidth(Double.MAX_VALUE);
        }
        VBox box = new VBox(8, large, largeCaption, save, copy, send);
        box.setPadding(new Insets(0, 0, 0, 12));
        box.setPrefWidth(248);
        box.setMaxWidth(248);
        large.setPrefSize(224, 224);
        return box;
    }

    private void saveDialog(SampleImage s) {
        if (s == null) {
            return;
        }
        Path file = ImageActions.askPngFile(getScene().getWindow(), "atelier-" + s.seed() + ".png");
        if (file != null) {
            try {
                vm.save(s, file);
            } catch (AtelierException e) {
                vm.notify(e.getMessage());
            }
        }
    }

    // ---- history ------------------------------------------------------------------------------------------

    private Node historyArea() {
        historyStrip.setId("sampling-history");
        historyStrip.setAlignment(Pos.CENTER_LEFT);
        historyStrip.setPadding(new Insets(4));
        vm.history().addListener((ListChangeListener<SampleHistory.Entry>) c -> refillHistory());
        refillHistory();
        ScrollPane scroll = new ScrollPane(historyStrip);
        scroll.setFitToHeight(true);
        scroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setPrefHeight(80);
        Label title = new Label("History (click to restore its settings)");
        title.getStyleClass().add("hint");
        VBox box = new VBox(2, title, scroll);
        box.setPadding(new Insets(8, 0, 0, 0));
        return box;
    }

    private void refillHistory() {
        // entries already shown keep their node: a new run decodes one thumbnail, not the whole strip
        Map<SampleHistory.Entry, Node> shown = new IdentityHashMap<>(historyNodes);
        historyNodes.clear();
        List<Node> thumbs = new java.util.ArrayList<>();
        for (SampleHistory.Entry e : vm.history()) {
            Node node = shown.get(e);
            if (node == null) {
                node = historyItem(e);
            }
            historyNodes.put(e, node);
            thumbs.add(node);
        }
        historyStrip.getChildren().setAll(thumbs);
    }

    private Node historyItem(SampleHistory.Entry e) {
        Image img = new Image(new ByteArrayInputStream(e.thumbnailPng()));
        PixelView v = new PixelView(img);
        v.setPreferredFactor(Math.max(1, 56 / Math.max(1, (int) img.getWidth())));
        v.getStyleClass().add("history-item");
        Tooltip.install(v, new Tooltip(describe(e)));
        v.setOnMouseClicked(m -> {
            try {
                vm.restore(e);
            } catch (AtelierException ex) {
                vm.notify(ex.getMessage());
            }
        });
        return v;
    }

    private static String describe(SampleHistory.Entry e) {
        try {
            GenerationRequest r = GenerationRequest.fromJson(e.parameters());
            int k = r.sigmas().size();
            return String.format(Locale.ROOT, "%s · seed %d · %d step%s · σ %s%s · %.2f s", r.task(), r.seed(), k,
                    k == 1 ? "" : "s", SamplingViewModel.sigmaList(r.sigmas()),
                    GuidanceControl.suffix(r.guidanceWeight()), e.seconds());
        } catch (AtelierException ex) {
            return "unreadable entry";
        }
    }

    // ---- keys and drops -----------------------------------------------------------------------------------

    private void installKeys() {
        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (RUN.match(e)) {
                dev.atelier.ui.common.Forms.commitFocusedSpinner(getScene()); // a weight or count just typed counts
                vm.generateOrCancel();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE && vm.runningProperty().get()) {
                vm.cancel();
                e.consume();
            }
        });
    }

    private void installDrop() {
        addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
                e.consume();
            }
        });
        addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
            e.setDropCompleted(!files.isEmpty() && vm.drop(files.get(0).toPath()));
            e.consume();
        });
    }

    private void openModelDialog() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a consistency model (TorchScript file or manifest.json)");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Model files", "*.pt", "*.pth", "*.ts", "*.ckpt", "manifest.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File f = chooser.showOpenDialog(getScene().getWindow());
        if (f == null) {
            return;
        }
        Path p = f.toPath();
        vm.openModel(p.getFileName().toString().equals("manifest.json") ? p.getParent() : p);
    }
}
