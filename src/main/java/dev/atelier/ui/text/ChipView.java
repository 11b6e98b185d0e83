package dev.atelier.ui.text;

import dev.atelier.text.ConstraintPreview;
import dev.atelier.text.ConstraintSpec;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.value.ObservableIntegerValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * A constraint chip: drag handle, colour, kind, the prompt it applies to, its phrase fields (any-of options and
 * ordered parts added and removed inline), on/off, delete; below, the tokens the model sees and the warnings or
 * the error, in place. Node ids end with the chip's position is not stable, so tests find fields by style class.
 */
final class ChipView extends HBox {
    private final ConstraintChip chip;
    private final FlowPane fields = new FlowPane(6, 4);
    private final Label tokens = new Label();
    private final VBox notes = new VBox(2);
    private final ComboBox<String> scope = new ComboBox<>();
    private boolean typing;

    /**
     * @param chip the chip shown
     * @param promptCount how many prompts there are (for the prompt choice)
     * @param onDelete removes the chip
     * @param onMove moves the chip by −1 or +1
     */
    ChipView(ConstraintChip chip, ObservableIntegerValue promptCount, Runnable onDelete,
            java.util.function.IntConsumer onMove) {
        this.chip = chip;
        getStyleClass().addAll("chip", "c" + chip.colour());
        if (chip.kind() == ConstraintSpec.Kind.BAN) {
            getStyleClass().add("chip-ban");
        }
        setSpacing(8);
        setPadding(new Insets(6, 8, 6, 6));
        setUserData(chip);

        Label handle = new Label("⠿");
        handle.getStyleClass().add("chip-handle");
        handle.setTooltip(new Tooltip("Drag to reorder, or Alt+↑ / Alt+↓ in the chip (constraints are numbered in "
                + "this order)"));
        Region swatch = new Region();
        swatch.getStyleClass().addAll("swatch", "c" + chip.colour());
        VBox left = new VBox(4, handle, swatch);
        left.setAlignment(Pos.TOP_CENTER);

        Label title = new Label(chip.title());
        title.getStyleClass().add("chip-title");
        scope.getStyleClass().add("chip-scope");
        scope.setTooltip(new Tooltip("Which prompt this constraint applies to"));
        Runnable fillScope = () -> {
            List<String> items = new ArrayList<>();
            items.add("All prompts");
            for (int i = 0; i < Math.max(promptCount.get(), chip.promptProperty().get() + 1); i++) {
                items.add("Prompt " + (i + 1));
            }
            scope.getItems().setAll(items);
            scope.getSelectionModel().select(chip.promptProperty().get() + 1);
            boolean show = promptCount.get() > 1 || chip.promptProperty().get() >= 0;
            scope.setVisible(show);
            scope.setManaged(show);
        };
        fillScope.run();
        promptCount.addListener((o, a, b) -> fillScope.run());
        chip.promptProperty().addListener((o, a, b) -> fillScope.run());
        scope.setOnAction(e -> {
            int i = scope.getSelectionModel().getSelectedIndex();
            if (i >= 0 && i - 1 != chip.promptProperty().get()) {
                chip.promptProperty().set(i - 1);
            }
        });
        CheckBox on = new CheckBox("on");
        on.getStyleClass().add("chip-enabled");
        on.selectedProperty().bindBidirectional(chip.enabledProperty());
        on.setTooltip(new Tooltip("Switch off to keep the constraint without using it"));
        Button delete = new Button("✕");
        delete.getStyleClass().addAll("chip-delete", "flat-button");
        delete.setTooltip(new Tooltip("Delete this constraint"));
        delete.setOnAction(e -> onDelete.run());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(6, title, scope, spacer, on, delete);
        header.setAlignment(Pos.CENTER_LEFT);

        tokens.getStyleClass().add("chip-tokens");
        tokens.setWrapText(true);
        VBox body = new VBox(4, header, fields, tokens, notes);
        HBox.setHgrow(body, Priority.ALWAYS);
        getChildren().addAll(left, body);

        chip.values().addListener((ListChangeListener<String>) c -> {
            if (!typing) {
                rebuildFields();
            }
        });
        rebuildFields();
        chip.previewProperty().addListener((o, a, b) -> showPreview());
        chip.problemProperty().addListener((o, a, b) -> showPreview());
        chip.enabledProperty().addListener((o, a, b) -> pseudo());
        showPreview();
        pseudo();

        MenuItem up = new MenuItem("Move up (Alt+↑)");
        up.setOnAction(e -> onMove.accept(-1));
        MenuItem down = new MenuItem("Move down (Alt+↓)");
        down.setOnAction(e -> onMove.accept(1));
        MenuItem del = new MenuItem("Delete");
        del.setOnAction(e -> onDelete.run());
        ContextMenu menu = new ContextMenu(up, down, del);
        setOnContextMenuRequested(e -> menu.show(this, e.getScreenX(), e.getScreenY()));
        // the keyboard's way to reorder, from any field of the chip
        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            // (not on the prompt choice: Alt+↓ opens it)
            if (e.isAltDown() && (e.getCode() == KeyCode.UP || e.getCode() == KeyCode.DOWN)
                    && !(e.getTarget() instanceof ComboBox)) {
                onMove.accept(e.getCode() == KeyCode.UP ? -1 : 1);
                e.consume();
            }
        });
    }

    /** @return the chip this view shows */
    ConstraintChip chip() {
        return chip;
    }

    /** @return the first phrase field (focused when the chip is added) */
    TextField firstField() {
        return (TextField) fields.lookup(".chip-field");
    }

    private void pseudo() {
        getStyleClass().remove("chip-off");
        if (!chip.enabledProperty().get()) {
            getStyleClass().add("chip-off");
        }
    }

    private void rebuildFields() {
        fields.getChildren().clear();
        int n = chip.values().size();
        for (int i = 0; i < n; i++) {
            int index = i;
            if (i > 0) {
                Label sep = new Label(chip.kind() == ConstraintSpec.Kind.ORDERED ? "→" : "or");
                sep.getStyleClass().add("chip-sep");
                fields.getChildren().add(sep);
            }
            TextField f = new TextField(chip.values().get(i));
            f.getStyleClass().add("chip-field");
            f.setPrefColumnCount(chip.kind() == ConstraintSpec.Kind.TEMPLATE ? 18 : chip.isGroup() ? 9 : 16);
            f.setPromptText(promptText());
            f.textProperty().addListener((o, a, text) -> {
                typing = true;
                try {
                    chip.values().set(index, text);
                } finally {
                    typing = false;
                }
            });
            HBox cell = new HBox(2, f);
            cell.setAlignment(Pos.CENTER_LEFT);
            if (chip.isGroup() && n > 1) {
                Button remove = new Button("×");
                remove.getStyleClass().addAll("chip-remove-option", "flat-button");
                remove.setTooltip(new Tooltip(chip.kind() == ConstraintSpec.Kind.ANY ? "Remove this option"
                        : "Remove this part"));
                remove.setOnAction(e -> chip.values().remove(index));
                cell.getChildren().add(remove);
            }
            fields.getChildren().add(cell);
        }
        if (chip.isGroup()) {
            Button add = new Button(chip.kind() == ConstraintSpec.Kind.ANY ? "+ option" : "+ part");
            add.getStyleClass().addAll("chip-add-option", "flat-button");
            add.setOnAction(e -> {
                chip.values().add("");
                TextField last = null;
                for (javafx.scene.Node node : fields.lookupAll(".chip-field")) {
                    last = (TextField) node;
                }
                if (last != null) {
                    last.requestFocus();
                }
            });
            fields.getChildren().add(add);
        }
    }

    private String promptText() {
        switch (chip.kind()) {
            case PHRASE:
                return "words that must appear";
            case ANY:
                return "option";
            case ORDERED:
                return "phrase";
            case TEMPLATE:
                return "the _ of _2 in";
            default:
                return "words that must not appear";
        }
    }

    private void showPreview() {
        ConstraintPreview p = chip.previewProperty().get();
        String line = p == null ? "" : p.tokenLine();
        tokens.setText(line.isEmpty() ? "" : "tokens: " + line);
        tokens.setVisible(!line.isEmpty());
        tokens.setManaged(!line.isEmpty());
        notes.getChildren().clear();
        if (p != null) {
            for (String w : p.warnings()) {
                Label l = new Label("⚠ " + w);
                l.getStyleClass().add("chip-warning");
                l.setWrapText(true);
                notes.getChildren().add(l);
            }
            for (String n : p.notes()) {
                Label l = new Label(n);
                l.getStyleClass().add("chip-note");
                l.setWrapText(true);
                notes.getChildren().add(l);
            }
        }
        String problem = chip.problemProperty().get();
        getStyleClass().remove("chip-invalid");
        if (problem != null) {
            Label l = new Label("✖ " + problem);
            l.getStyleClass().add("chip-error");
            l.setWrapText(true);
            notes.getChildren().add(l);
            getStyleClass().add("chip-invalid");
        }
    }
}
