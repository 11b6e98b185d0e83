package dev.atelier.ui.inpaint;

import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.SigmaSchedule;
import dev.atelier.ui.common.FieldProblems;
import dev.atelier.ui.common.GuidanceControl;
import dev.atelier.ui.common.ImageActions;
import dev.atelier.ui.common.PanelFrame;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.FileChooser;

/**
 * The Inpainting panel: the input with its mask on the left, the controls in the middle, the results with a
 * before/after divider on the right. Everything it does goes through {@link InpaintViewModel}.
 */
public final class InpaintView extends PanelFrame {
    private final InpaintViewModel vm;
    private final MaskEditor editor = new MaskEditor();
    private final CompareView compare = new CompareView();
    private static final double PREVIEW_WIDTH = 200;
    private static final double PREVIEW_HEIGHT = 120;
    private final Canvas sourcePreview = new Canvas(PREVIEW_WIDTH, 0);
    private final Label sourceLabel = new Label("No image yet: drop one here, Open…, or paste (Ctrl+V).");
    private final Button openButton = new Button("Open…");
    private final Button runButton = new Button("Run");

    /** @param vm the panel's view model */
    public InpaintView(InpaintViewModel vm) {
        super("inpainting-panel", "Inpainting and editing",
                "Drop an image, paint a mask, and let the consistency model fill it in (zero-shot).");
        this.vm = vm;

        // input + mask
        editor.setId("inpaint-canvas");
        editor.imageProperty().bind(vm.inputProperty());
        editor.maskProperty().bind(vm.maskProperty());
        editor.brushProperty().bindBidirectional(vm.brushProperty());
        editor.overlayProperty().bind(vm.overlayProperty());
        editor.eraserProperty().bind(vm.eraserProperty());
        editor.layerProperty().bind(Bindings.createObjectBinding(() -> vm.taskProperty().get() == EditTask.INPAINT
                ? MaskEditor.Layer.MASK : vm.taskProperty().get() == EditTask.STROKE ? MaskEditor.Layer.STROKES
                : MaskEditor.Layer.NONE, vm.taskProperty()));
        editor.colourProperty().bind(vm.strokeColourProperty());
        vm.maskVersionProperty().addListener(o -> editor.redraw());
        VBox.setVgrow(editor, Priority.ALWAYS);

        openButton.setId("inpaint-open");
        openButton.setOnAction(e -> openFile());
        Button paste = new Button("Paste");
        paste.setId("inpaint-paste");
        paste.setTooltip(new Tooltip("Paste an image or an image file from the clipboard (Ctrl+V)"));
        paste.setOnAction(e -> vm.paste(Clipboard.getSystemClipboard()));
        sourceLabel.setId("inpaint-source");
        sourceLabel.setWrapText(true);
        sourcePreview.setId("inpaint-source-preview");
        vm.inputProperty().addListener(o -> drawSource());

        Slider brush = new Slider(0.5, 14, vm.brushProperty().get());
        brush.setId("inpaint-brush");
        brush.valueProperty().bindBidirectional(vm.brushProperty());
        brush.setBlockIncrement(0.5); // arrow keys: as one wheel notch
        vm.sizeProperty().addListener((o, a, b) -> brush.setMax(b.intValue() / 2.0));
        brush.setMax(vm.sizeProperty().get() / 2.0);
        Label brushValue = new Label();
        brushValue.setMinWidth(Region.USE_PREF_SIZE);
        brushValue.textProperty().bind(Bindings.format("%.1f px", vm.brushProperty()));
        ToggleButton eraser = new ToggleButton("Eraser");
        eraser.setId("inpaint-eraser");
        eraser.selectedProperty().bindBidirectional(vm.eraserProperty());
        eraser.setTooltip(new Tooltip("Erase what you painted (or drag with the right button)"));
        Button invert = button("Invert", "inpaint-invert", () -> vm.maskProperty().get().invert());
        showOnlyFor(EditTask.INPAINT, invert);
        Button clear = button("Clear", "inpaint-clear", () -> {
            if (vm.taskProperty().get() == EditTask.STROKE) {
                vm.maskProperty().get().clearPaint();
            } else {
                vm.maskProperty().get().clear();
            }
        });
        Button undo = button("Undo", "inpaint-undo", () -> vm.maskProperty().get().undo());
        Button redo = button("Redo", "inpaint-redo", () -> vm.maskProperty().get().redo());
        undo.setTooltip(new Tooltip("Undo the last stroke (Ctrl+Z)"));
        redo.setTooltip(new Tooltip("Redo (Ctrl+Shift+Z or Ctrl+Y)"));
        vm.maskVersionProperty().addListener(o -> {
            undo.setDisable(!vm.maskProperty().get().canUndo());
            redo.setDisable(!vm.maskProperty().get().canRedo());
        });
        undo.setDisable(true);
        redo.setDisable(true);
        Slider opacity = new Slider(0, 1, vm.overlayProperty().get());
        opacity.setId("inpaint-overlay");
        opacity.valueProperty().bindBidirectional(vm.overlayProperty());
        opacity.setBlockIncrement(0.05);
        Label opacityLabel = fieldLabel("Overlay");
        showOnlyFor(EditTask.INPAINT, opacity, opacityLabel);
        Node strokeColour = strokeColourPicker();
        Label strokeColourLabel = fieldLabel("Colour");
        strokeColourLabel.textProperty().bind(Bindings.when(vm.channelsProperty().isEqualTo(1)).then("Grey")
                .otherwise("Colour"));
        showOnlyFor(EditTask.STROKE, strokeColour, strokeColourLabel);

        // task and parameters
        ComboBox<String> model = new ComboBox<>(vm.models());
        model.setId("inpaint-model");
        model.valueProperty().bindBidirectional(vm.modelProperty());
        ComboBox<EditTask> task = new ComboBox<>(FXCollections.observableArrayList(InpaintViewModel.TASKS));
        task.setId("inpaint-task");
        task.setButtonCell(taskCell());
        task.setCellFactory(l -> taskCell());
        task.valueProperty().bindBidirectional(vm.taskProperty());
        task.setMaxWidth(Double.MAX_VALUE);
        // what the task does: on hover here and in the line under the picture (no room in this column: Run must
        // stay in view in a 760-pixel window with a picture loaded)
        Tooltip taskTip = new Tooltip();
        taskTip.textProperty().bind(Bindings.createStringBinding(() -> taskTooltip(vm.taskProperty().get()),
                vm.taskProperty()));
        task.setTooltip(taskTip);
        // steps: the task's default schedule (the model's tuned σ list) until the user picks a count
        Spinner<Integer> steps = new Spinner<>(1, SigmaSchedule.MAX_STEPS, shownSteps());
        steps.setId("inpaint-steps");
        steps.setEditable(true);
        CheckBox stepsDefault = new CheckBox();
        stepsDefault.setId("inpaint-steps-default");
        stepsDefault.setWrapText(true);
        stepsDefault.setSelected(vm.stepsProperty().get() == null);
        stepsDefault.setOnAction(e -> vm.stepsProperty().set(stepsDefault.isSelected() ? null
                : steps.getValueFactory().getValue()));
        boolean[] syncing = new boolean[1];
        steps.getValueFactory().valueProperty().addListener((o, a, b) -> {
            if (!syncing[0] && b != null) {
                vm.stepsProperty().set(b); // picking a count leaves the default
            }
        });
        Runnable showSteps = () -> {
            syncing[0] = true;
            steps.getValueFactory().setValue(shownSteps());
            syncing[0] = false;
            stepsDefault.setSelected(vm.stepsProperty().get() == null);
            double[] d = vm.taskDefaultProperty().get();
            stepsDefault.setText(d == null ? "Default" : "Default: σ " + InpaintViewModel.sigmaList(d));
            stepsDefault.setTooltip(new Tooltip("The task's default schedule"
                    + (d == null ? "" : ", " + d.length + " steps: σ " + InpaintViewModel.sigmaList(d))
                    + " (the model's tuned editing schedule, or its sampling schedule). Pick a step count to "
                    + "override it; tick to go back."));
        };
        vm.stepsProperty().addListener(o -> showSteps.run());
        vm.taskDefaultProperty().addListener(o -> showSteps.run());
        showSteps.run();
        TextField seed = new TextField(Long.toString(vm.seedProperty().get()));
        seed.setId("inpaint-seed");
        seed.setPrefColumnCount(10);
        seed.setTextFormatter(new TextFormatter<>(c -> c.getControlNewText().matches("-?\\d{0,18}") ? c : null));
        seed.textProperty().addListener((o, a, b) -> {
            if (b.matches("-?\\d{1,18}")) {
                vm.seedProperty().set(Long.parseLong(b));
            }
        });
        vm.seedProperty().addListener((o, a, b) -> {
            if (!seed.getText().equals(b.toString())) {
                seed.setText(b.toString());
            }
        });
        CheckBox random = new CheckBox("new seed each run");
        random.setId("inpaint-random-seed");
        random.selectedProperty().bindBidirectional(vm.randomSeedProperty());
        Spinner<Double> sigma = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0.01, 80,
                vm.sigmaProperty().get(), 0.05));
        sigma.setId("inpaint-sigma");
        sigma.setEditable(true);
        sigma.getValueFactory().valueProperty().addListener((o, a, b) -> vm.sigmaProperty().set(b));
        vm.sigmaProperty().addListener((o, a, b) -> sigma.getValueFactory().setValue(b.doubleValue()));
        ComboBox<Integer> patch = new ComboBox<>(vm.patchChoices());
        patch.setId("inpaint-patch");
        patch.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.patchProperty().set(b);
            }
        });
        patch.setValue(vm.patchProperty().get());
        vm.patchProperty().addListener((o, a, b) -> patch.setValue(b.intValue()));
        Spinner<Integer> count = new Spinner<>(1, InpaintViewModel.MAX_COUNT, vm.countProperty().get());
        count.setId("inpaint-count");
        count.setEditable(true);
        count.getValueFactory().valueProperty().addListener((o, a, b) -> vm.countProperty().set(b));
        vm.countProperty().addListener((o, a, b) -> count.getValueFactory().setValue(b.intValue()));
        count.disableProperty().bind(vm.taskProperty().isEqualTo(EditTask.DENOISE));
        Label sigmaLabel = fieldLabel("Noise σ");
        Label patchLabel = fieldLabel("Patch");
        Label stepsLabel = fieldLabel("Steps");
        showOnlyFor(EditTask.DENOISE, sigma, sigmaLabel);
        showOnlyFor(EditTask.SUPERRES, patch, patchLabel);
        steps.disableProperty().bind(vm.taskProperty().isEqualTo(EditTask.DENOISE)
                .or(vm.taskProperty().isEqualTo(EditTask.STROKE)));
        stepsDefault.disableProperty().bind(steps.disableProperty());
        GuidanceControl guidance = new GuidanceControl("inpaint", vm.guidanceProperty(), vm.guidanceDefaultProperty(),
                vm.guidableProperty(), vm.unguidableReasonProperty());

        runButton.setId("inpaint-run");
        runButton.setDefaultButton(false);
        runButton.textProperty().bind(Bindings.when(vm.runningShownProperty()).then("Cancel").otherwise("Run"));
        runButton.setOnAction(e -> vm.runOrCancel());
        runButton.setTooltip(new Tooltip("Run (Ctrl+Enter); Esc cancels"));
        runButton.setMaxWidth(Double.MAX_VALUE);
        ProgressBar progress = new ProgressBar();
        progress.setId("inpaint-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(vm.progressProperty());
        progress.visibleProperty().bind(vm.runningShownProperty());
        Label status = new Label();
        status.setId("inpaint-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());

        GridPane params = new GridPane();
        params.setHgap(8);
        params.setVgap(4); // with the Guidance row, Run stays in view in a 760-pixel window, strokes included
        int row = 0;
        params.addRow(row++, fieldLabel("Model"), model);
        params.addRow(row++, fieldLabel("Task"), task);
        params.addRow(row++, stepsLabel, steps);
        params.add(stepsDefault, 1, row++);
        params.addRow(row++, guidance.label, guidance.row);
        params.addRow(row++, fieldLabel("Results"), count);
        params.addRow(row++, fieldLabel("Seed"), seed);
        params.add(random, 1, row++);
        params.addRow(row++, sigmaLabel, sigma);
        params.addRow(row++, patchLabel, patch);

        FlowPane maskTools = new FlowPane(6, 6, eraser, invert, clear, undo, redo);
        GridPane maskParams = new GridPane();
        maskParams.setHgap(8);
        maskParams.setVgap(4);
        maskParams.addRow(0, fieldLabel("Brush"), brush, brushValue);
        maskParams.addRow(1, opacityLabel, opacity);
        maskParams.addRow(2, strokeColourLabel, strokeColour);
        GridPane.setColumnSpan(strokeColour, 2);
        Label paintHeading = heading("Mask");
        paintHeading.textProperty().bind(Bindings.when(vm.taskProperty().isEqualTo(EditTask.STROKE))
                .then("Strokes").otherwise("Mask"));

        VBox controls = new VBox(6,
                new HBox(6, openButton, paste), sourceLabel, sourcePreview, new Separator(),
                paintHeading, maskTools, maskParams, new Separator(),
                heading("Edit"), params, runButton, progress, status);
        controls.setPadding(new Insets(0, 16, 8, 8));
        controls.setPrefWidth(330);
        controls.setMinWidth(330);
        ScrollPane controlScroll = new ScrollPane(controls);
        controlScroll.setFitToWidth(true);
        controlScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        controlScroll.getStyleClass().add("edge-to-edge");
        controlScroll.setMinWidth(Region.USE_PREF_SIZE);

        // results
        compare.setId("inpaint-compare");
        compare.resultProperty().bind(vm.selectedProperty());
        Slider divider = new Slider(0, 1, 0.5);
        divider.setId("inpaint-compare-slider");
        divider.valueProperty().bindBidirectional(compare.dividerProperty());
        divider.blockIncrementProperty().bind(Bindings.divide(1.0, vm.sizeProperty())); // arrow keys: one pixel
        divider.setTooltip(new Tooltip("Before (left) / after (right): drag here or on the picture; arrow keys "
                + "move it one pixel"));
        FlowPane strip = new FlowPane(4, 4);
        strip.setId("inpaint-results");
        vm.results().addListener((javafx.collections.ListChangeListener<EditResult>) c -> fillStrip(strip));
        vm.selectedProperty().addListener(o -> fillStrip(strip));
        Button save = button("Save…", "inpaint-save", this::saveResult);
        Button copy = button("Copy", "inpaint-copy", vm::copyResult);
        Button use = button("Use as input", "inpaint-use", vm::useResultAsInput);
        for (Button b : new Button[] {save, copy, use}) {
            b.disableProperty().bind(vm.selectedProperty().isNull());
        }
        Label resultInfo = new Label();
        resultInfo.setId("inpaint-result-info");
        resultInfo.setWrapText(true);
        resultInfo.setMinHeight(Region.USE_PREF_SIZE);
        resultInfo.textProperty().bind(Bindings.createStringBinding(() -> vm.describe(vm.selectedProperty().get()),
                vm.selectedProperty()));
        VBox.setVgrow(compare, Priority.ALWAYS);
        VBox resultsBox = new VBox(8, heading("Before / after"), compare, divider, strip, resultInfo,
                new HBox(6, save, copy, use));
        resultsBox.setPrefWidth(340);
        resultsBox.setMinWidth(Region.USE_PREF_SIZE); // the input grows, the results never collapse

        Label inputHeading = heading("Input and mask");
        inputHeading.textProperty().bind(Bindings.createStringBinding(() -> switch (vm.taskProperty().get()) {
            case INPAINT -> "Input and mask";
            case STROKE -> "Input and strokes";
            default -> "Input";
        }, vm.taskProperty()));
        VBox left = new VBox(6, inputHeading, editor, hint());
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(resultsBox, Priority.ALWAYS);
        HBox body = new HBox(12, left, controlScroll, resultsBox);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().add(body);

        FieldProblems.install(vm.problemFieldProperty(), Map.ofEntries(Map.entry("task", task),
                Map.entry("steps", steps), Map.entry("sigmas", steps), Map.entry("seed", seed),
                Map.entry("sigma", sigma), Map.entry("patch", patch), Map.entry("model", model),
                Map.entry("mask", editor), Map.entry("image", editor), Map.entry("count", count),
                Map.entry("guidance", guidance.spinner)));

        installDragAndDrop();
        installKeys();
    }

    /** @return the step count the spinner shows: the chosen one, else the length of the task's default σ list */
    private int shownSteps() {
        Integer chosen = vm.stepsProperty().get();
        double[] d = vm.taskDefaultProperty().get();
        return chosen != null ? chosen : d != null ? d.length : 2;
    }

    /** @return the view model */
    public InpaintViewModel viewModel() {
        return vm;
    }

    /** Puts the keyboard focus on the panel's main control: Run when there is an input, else Open…. */
    public void focusMainControl() {
        (vm.inputProperty().get() != null ? runButton : openButton).requestFocus();
    }

    private static Label fieldLabel(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-title");
        return l;
    }

    private Label hint() {
        Label l = new Label();
        l.setId("inpaint-hint");
        l.textProperty().bind(Bindings.createStringBinding(() -> InpaintViewModel.TASK_HINTS.get(vm.taskProperty()
                .get()) + " " + switch (vm.taskProperty().get()) {
                    case INPAINT -> "Right button or Eraser: erase. Wheel or [ ]: brush size. Ctrl+Z / Ctrl+Y: "
                            + "undo / redo.";
                    case STROKE -> "Paint rough shapes in the chosen " + (vm.channelsProperty().get() == 1 ? "grey"
                            : "colour") + ". Right button or Eraser: remove paint. Wheel or [ ]: brush size. Ctrl+Z / "
                            + "Ctrl+Y: undo / redo.";
                    default -> "It uses the whole input: nothing to paint.";
                }, vm.taskProperty(), vm.channelsProperty()));
        l.getStyleClass().add("panel-purpose");
        l.setWrapText(true);
        l.setMinWidth(0);
        l.setPrefWidth(1); // wraps at the editor's width instead of asking for one long line
        l.setMaxWidth(Double.MAX_VALUE);
        return l;
    }

    /**
     * The brush colour of stroke-guided editing: a grey-level slider (0–255) for grey models, a colour picker for
     * RGB ones, with a swatch of the colour painted.
     */
    private Node strokeColourPicker() {
        Slider grey = new Slider(0, 255, vm.strokeColourProperty().get() >> 8 & 0xff);
        grey.setId("inpaint-stroke-grey");
        grey.setBlockIncrement(16);
        grey.setMajorTickUnit(64);
        grey.setTooltip(new Tooltip("Grey level of the brush: 0 black … 255 white (arrow keys: ±16)"));
        grey.valueProperty().addListener((o, a, b) -> {
            int l = (int) Math.round(b.doubleValue());
            vm.strokeColourProperty().set(l << 16 | l << 8 | l);
        });
        ColorPicker colour = new ColorPicker(rgb(vm.strokeColourProperty().get()));
        colour.setId("inpaint-stroke-colour");
        colour.setOnAction(e -> {
            Color c = colour.getValue();
            vm.strokeColourProperty().set((int) Math.round(c.getRed() * 255) << 16
                    | (int) Math.round(c.getGreen() * 255) << 8 | (int) Math.round(c.getBlue() * 255));
        });
        vm.strokeColourProperty().addListener((o, a, b) -> {
            int v = b.intValue();
            if (vm.channelsProperty().get() == 1 && Math.round(grey.getValue()) != (v >> 8 & 0xff)) {
                grey.setValue(v >> 8 & 0xff);
            }
            if (!rgb(v).equals(colour.getValue())) {
                colour.setValue(rgb(v));
            }
        });
        grey.visibleProperty().bind(vm.channelsProperty().isEqualTo(1));
        grey.managedProperty().bind(grey.visibleProperty());
        colour.visibleProperty().bind(grey.visibleProperty().not());
        colour.managedProperty().bind(colour.visibleProperty());
        Region swatch = new Region();
        swatch.setId("inpaint-stroke-swatch");
        swatch.setMinSize(22, 22);
        swatch.setMaxSize(22, 22);
        swatch.styleProperty().bind(Bindings.createStringBinding(() -> String.format("-fx-background-color: #%06x; "
                + "-fx-border-color: #888888;", vm.strokeColourProperty().get() & 0xffffff), vm.strokeColourProperty()));
        Label value = new Label();
        value.setMinWidth(Region.USE_PREF_SIZE);
        value.textProperty().bind(Bindings.createStringBinding(() -> vm.channelsProperty().get() == 1
                ? Integer.toString(vm.strokeColourProperty().get() >> 8 & 0xff)
                : String.format("#%06x", vm.strokeColourProperty().get() & 0xffffff), vm.strokeColourProperty(),
                vm.channelsProperty()));
        HBox box = new HBox(6, swatch, grey, colour, value);
        box.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(grey, Priority.ALWAYS);
        return box;
    }

    private static Color rgb(int v) {
        return Color.rgb(v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff);
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private static ListCell<EditTask> taskCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(EditTask item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : InpaintViewModel.TASK_NAMES.get(item));
                setTooltip(empty || item == null ? null : new Tooltip(taskTooltip(item)));
            }
        };
    }

    /** @return what the task does and its command-line name */
    private static String taskTooltip(EditTask t) {
        return InpaintViewModel.TASK_NAMES.get(t) + ": " + InpaintViewModel.TASK_HINTS.get(t)
                + "\nCommand line: atelier edit --task " + t.id();
    }

    private void showOnlyFor(EditTask t, Node... nodes) {
        for (Node n : nodes) {
            n.visibleProperty().bind(vm.taskProperty().isEqualTo(t));
            n.managedProperty().bind(n.visibleProperty());
        }
    }

    private void fillStrip(FlowPane strip) {
        strip.getChildren().clear();
        int i = 0;
        for (EditResult r : vm.results()) {
            Canvas c = new Canvas(2 * r.size() + 4, 2 * r.size() + 4);
            GraphicsContext g = c.getGraphicsContext2D();
            if (r == vm.selectedProperty().get()) {
                g.setFill(Color.web("#3b6fd8"));
                g.fillRect(0, 0, c.getWidth(), c.getHeight());
            }
            PixelPainter.paint(g, r.after(), r.channels(), r.size(), 2, 2, 2, 0, r.size());
            c.setId("inpaint-result-" + i++);
            Tooltip.install(c, new Tooltip(vm.describe(r)));
            c.setOnMouseClicked(e -> vm.selectedProperty().set(r));
            strip.getChildren().add(c);
        }
    }

    private void drawSource() {
        InputImage in = vm.inputProperty().get();
        GraphicsContext g = sourcePreview.getGraphicsContext2D();
        g.clearRect(0, 0, sourcePreview.getWidth(), sourcePreview.getHeight());
        if (in == null) {
            sourceLabel.setText("No image yet: drop one here, Open…, or paste (Ctrl+V).");
            sourcePreview.setHeight(0);
            return;
        }
        sourceLabel.setText(in.describe());
        Image thumb = SwingFXUtils.toFXImage(in.thumbnail(), null);
        double k = Math.min(PREVIEW_WIDTH / thumb.getWidth(), PREVIEW_HEIGHT / thumb.getHeight());
        g.setImageSmoothing(k < 1); // small sources enlarged crisp
        double w = thumb.getWidth() * k;
        double h = thumb.getHeight() * k;
        sourcePreview.setWidth(w);
        sourcePreview.setHeight(h);
        g.drawImage(thumb, 0, 0, w, h);
        double u = w / in.sourceWidth();
        int[] crop = in.crop();
        g.setFill(Color.rgb(0, 0, 0, 0.6));
        g.fillRect(0, 0, w, crop[1] * u);
        g.fillRect(0, (crop[1] + crop[2]) * u, w, h - (crop[1] + crop[2]) * u);
        g.fillRect(0, crop[1] * u, crop[0] * u, crop[2] * u);
        g.fillRect((crop[0] + crop[2]) * u, crop[1] * u, w - (crop[0] + crop[2]) * u, crop[2] * u);
        g.setStroke(Color.web("#ffcc00"));
        g.setLineWidth(2);
        g.strokeRect(crop[0] * u + 1, crop[1] * u + 1, crop[2] * u - 2, crop[2] * u - 2);
    }

    private void openFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open an image");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Images", "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = chooser.showOpenDialog(getScene().getWindow());
        if (f != null) {
            vm.importFile(f.toPath());
        }
    }

    private void saveResult() {
        Path file = ImageActions.askPngFile(getScene().getWindow(), "inpaint-" + vm.selectedProperty().get().seed()
                + ".png");
        if (file != null) {
            vm.saveResult(file);
        }
    }

    private void installDragAndDrop() {
        addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (InpaintViewModel.accepts(e.getDragboard())) {
                e.acceptTransferModes(TransferMode.COPY);
                if (!getStyleClass().contains("drop-target")) {
                    getStyleClass().add("drop-target");
                }
            }
            e.consume();
        });
        addEventHandler(DragEvent.DRAG_EXITED, e -> getStyleClass().remove("drop-target"));
        addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            getStyleClass().remove("drop-target");
            e.setDropCompleted(vm.drop(e.getDragboard()));
            e.consume();
        });
    }

    private void installKeys() {
        addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            boolean shortcut = e.isShortcutDown();
            if (shortcut && e.getCode() == KeyCode.Z && !e.isShiftDown()) {
                vm.maskProperty().get().undo();
            } else if (shortcut && (e.getCode() == KeyCode.Y || (e.getCode() == KeyCode.Z && e.isShiftDown()))) {
                vm.maskProperty().get().redo();
            } else if (shortcut && e.getCode() == KeyCode.ENTER) {
                if (!vm.runningProperty().get()) {
                    dev.atelier.ui.common.Forms.commitFocusedSpinner(getScene()); // a value just typed counts
                    vm.run();
                }
            } else if (shortcut && e.getCode() == KeyCode.V) {
                vm.paste(Clipboard.getSystemClipboard());
            } else if (!shortcut && (e.getCode() == KeyCode.OPEN_BRACKET || e.getCode() == KeyCode.CLOSE_BRACKET)) {
                double max = vm.sizeProperty().get() / 2.0; // [ and ]: brush size, as in most paint programs
                double step = e.getCode() == KeyCode.OPEN_BRACKET ? -0.5 : 0.5;
                vm.brushProperty().set(Math.max(0.5, Math.min(max, vm.brushProperty().get() + step)));
            } else {
                return;
            }
            e.consume();
        });
    }
}
