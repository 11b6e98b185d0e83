package dev.atelier.ui.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * The live bank view: for one prompt and one step, the beams grouped by how many constraints each has met
 * (most first), each beam's generated tokens with the ones that advanced a constraint marked in that
 * constraint's chip colour. While the search runs it follows the newest step unless paused; when paused or
 * after the run, the slider steps back and forth through the steps received.
 */
final class BankView extends VBox {
    private final ObservableList<BankStep> history;
    private final ReadOnlyBooleanProperty running;
    private final ComboBox<String> promptChoice = new ComboBox<>();
    private final ToggleButton pause = new ToggleButton("Pause");
    private final Slider slider = new Slider(0, 0, 0);
    private final Label stepLabel = new Label("No run yet");
    private final VBox rows = new VBox(2);
    private BankStep shown;
    private boolean adjusting;
    private boolean drawQueued;

    /**
     * @param history every step received, all prompts, in arrival order (cleared when a run starts)
     * @param running true while a search runs
     */
    BankView(ObservableList<BankStep> history, ReadOnlyBooleanProperty running) {
        this.history = history;
        this.running = running;
        setId("bank-view");
        getStyleClass().add("bank-view");
        setSpacing(6);
        setPadding(new Insets(6));

        Label title = new Label("Beams by bank");
        title.getStyleClass().add("section-title");
        promptChoice.setId("bank-prompt");
        promptChoice.setVisible(false);
        promptChoice.setManaged(false);
        promptChoice.setOnAction(e -> {
            if (!adjusting) {
                follow(true);
            }
        });
        pause.setId("bank-pause");
        pause.setTooltip(new Tooltip("Hold the view at this step while the search goes on"));
        pause.selectedProperty().addListener((o, a, paused) -> {
            if (!paused) {
                follow(true);
            }
            updateSliderState();
        });
        slider.setId("bank-step");
        slider.setMajorTickUnit(1);
        slider.setMinorTickCount(0);
        slider.setSnapToTicks(true);
        slider.setBlockIncrement(1);
        HBox.setHgrow(slider, Priority.ALWAYS);
        slider.valueProperty().addListener((o, a, v) -> {
            if (!adjusting) {
                showIndex((int) Math.round(v.doubleValue()));
            }
        });
        stepLabel.setId("bank-step-label");
        stepLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox controls = new HBox(8, title, promptChoice, pause, slider, stepLabel);
        controls.setAlignment(Pos.CENTER_LEFT);

        rows.setId("bank-rows");
        rows.setPadding(new Insets(2));
        ScrollPane scroll = new ScrollPane(rows);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getChildren().addAll(controls, scroll);

        history.addListener((ListChangeListener<BankStep>) c -> {
            if (history.isEmpty()) {
                shown = null;
                pause.setSelected(false);
                draw();
            }
            follow(false);
        });
        running.addListener((o, a, b) -> updateSliderState());
        updateSliderState();
        draw();
    }

    /** @return the step on screen, or null */
    BankStep shownStep() {
        return shown;
    }

    /** @return the steps of the chosen prompt, in order */
    List<BankStep> stepsOfPrompt() {
        int p = Math.max(0, promptChoice.getSelectionModel().getSelectedIndex());
        List<BankStep> out = new ArrayList<>();
        for (BankStep s : history) {
            if (s.prompt() == p) {
                out.add(s);
            }
        }
        return out;
    }

    /** Updates the prompt choice and the slider range; shows the newest step unless paused (or forced). */
    private void follow(boolean force) {
        adjusting = true;
        try {
            int prompts = 0;
            for (BankStep s : history) {
                prompts = Math.max(prompts, s.prompt() + 1);
            }
            if (promptChoice.getItems().size() != prompts) {
                int sel = Math.max(0, promptChoice.getSelectionModel().getSelectedIndex());
                List<String> items = new ArrayList<>();
                for (int i = 0; i < prompts; i++) {
                    items.add("Prompt " + (i + 1));
                }
                promptChoice.getItems().setAll(items);
                promptChoice.getSelectionModel().select(Math.min(sel, Math.max(0, prompts - 1)));
                promptChoice.setVisible(prompts > 1);
                promptChoice.setManaged(prompts > 1);
            }
            List<BankStep> steps = stepsOfPrompt();
            slider.setMax(Math.max(0, steps.size() - 1));
            if ((force || !pause.isSelected()) && !steps.isEmpty()) {
                slider.setValue(steps.size() - 1);
            }
        } finally {
            adjusting = false;
        }
        showIndex((int) Math.round(slider.getValue()));
        updateSliderState();
    }

    private void updateSliderState() {
        slider.setDisable(running.get() && !pause.isSelected() || stepsOfPrompt().size() < 2);
    }

    private void showIndex(int index) {
        List<BankStep> steps = stepsOfPrompt();
        BankStep next = steps.isEmpty() ? null : steps.get(Math.max(0, Math.min(index, steps.size() - 1)));
        if (next != shown) {
            shown = next;
            if (!drawQueued) {
                // several steps may arrive before the next pulse: draw the newest once
                drawQueued = true;
                javafx.application.Platform.runLater(() -> {
                    drawQueued = false;
                    draw();
                });
            }
        }
    }

    private void draw() {
        rows.getChildren().clear();
        if (shown == null) {
            stepLabel.setText("No run yet");
            Label hint = new Label("Generate to watch the beams: each step, grouped by how many constraints they "
                    + "have met; tokens that advanced a constraint are marked in its colour.");
            hint.getStyleClass().add("hint");
            hint.setWrapText(true);
            rows.getChildren().add(hint);
            return;
        }
        stepLabel.setText("step " + shown.step() + " / " + shown.maxSteps());
        int constraints = shown.constraintCount();
        for (int met = constraints; met >= 0; met--) {
            List<BankStep.Beam> group = new ArrayList<>();
            for (BankStep.Beam b : shown.beams()) {
                if (b.met() == met) {
                    group.add(b);
                }
            }
            if (group.isEmpty()) {
                continue;
            }
            Label header = new Label(constraints == 0 ? "no constraints"
                    : met + " of " + constraints + " constraints met · " + group.size()
                    + (group.size() == 1 ? " beam" : " beams"));
            header.getStyleClass().add("bank-header");
            rows.getChildren().add(header);
            for (BankStep.Beam b : group) {
                rows.getChildren().add(beamRow(b));
            }
        }
    }

    /**
     * One beam: score, bank, then its tokens as text, runs of unmarked tokens in one node and each token that
     * advanced a constraint in its own, marked in the constraint's chip colour (a few nodes per beam, not one per
     * token: the view is redrawn at every step).
     */
    private HBox beamRow(BankStep.Beam b) {
        Label score = new Label(String.format(Locale.ROOT, "%.3f", b.score()));
        score.getStyleClass().add("bank-score");
        score.setMinWidth(56);
        Label bank = new Label("bank " + b.bank());
        bank.getStyleClass().add("bank-bank");
        bank.setMinWidth(56);
        TextFlow tokens = new TextFlow();
        tokens.getStyleClass().add("bank-tokens");
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < b.pieces().size(); i++) {
            String piece = display(b.pieces().get(i));
            int c = i < b.advancedBy().length ? b.advancedBy()[i] : -1;
            if (c < 0) {
                run.append(piece);
                continue;
            }
            // the space before a word stays plain text: the mark starts at the word (as in the results)
            int lead = 0;
            while (lead < piece.length() - 1 && Character.isWhitespace(piece.charAt(lead))) {
                lead++;
            }
            run.append(piece, 0, lead);
            flush(run, tokens);
            Label t = new Label(piece.substring(lead));
            int colour = c < shown.chipColours().length ? shown.chipColours()[c] : 0;
            t.getStyleClass().addAll("bank-mark", "c" + colour);
            // made on first hover: a tooltip per mark costs more than the rest of a redraw
            t.setOnMouseEntered(e -> {
                if (t.getTooltip() == null) {
                    t.setTooltip(new Tooltip("advanced constraint " + c));
                }
            });
            tokens.getChildren().add(t);
        }
        flush(run, tokens);
        HBox.setHgrow(tokens, Priority.ALWAYS);
        HBox row = new HBox(6, score, bank, tokens);
        row.getStyleClass().add("bank-beam");
        row.setUserData(b);
        return row;
    }

    private static void flush(StringBuilder run, TextFlow into) {
        if (run.length() > 0) {
            Text t = new Text(run.toString());
            t.getStyleClass().add("bank-text");
            into.getChildren().add(t);
            run.setLength(0);
        }
    }

    /** A token as text (a line break as {@code ↵}, so that a beam stays on its rows). */
    private static String display(String piece) {
        return piece.replace("\n", "↵");
    }
}
