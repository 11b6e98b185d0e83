package dev.atelier.ui.text;

import dev.atelier.text.ConstraintPreview;
import dev.atelier.text.ConstraintSpec;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One constraint of the builder, as the user edits it: its kind, its phrases (one for a phrase, template or ban;
 * the options of an any-of group or the parts of an ordered group), whether it is on, which prompt it belongs to
 * (−1 = every prompt) and its colour, kept when chips are reordered. The preview (tokens, warnings, error) is
 * filled in by the view model from the model's tokenizer; {@link #problemProperty()} is what stops generation.
 */
public final class ConstraintChip {
    /** Number of chip colours (CSS classes {@code c0} … {@code c7}). */
    public static final int COLOURS = 8;

    private final ConstraintSpec.Kind kind;
    private final int colour;
    private final ObservableList<String> values = FXCollections.observableArrayList();
    private final BooleanProperty enabled = new SimpleBooleanProperty(true);
    private final IntegerProperty prompt = new SimpleIntegerProperty(-1);
    private final ObjectProperty<ConstraintPreview> preview = new SimpleObjectProperty<>();
    private final StringProperty serviceError = new SimpleStringProperty();
    private final StringProperty problem = new SimpleStringProperty();

    /**
     * @param kind the constraint kind
     * @param values its phrases (copied; an any-of or ordered group may start with empty ones)
     * @param colour index into the chip colours
     */
    public ConstraintChip(ConstraintSpec.Kind kind, List<String> values, int colour) {
        this.kind = kind;
        this.colour = Math.floorMod(colour, COLOURS);
        this.values.setAll(values);
        Runnable update = () -> {
            ConstraintPreview p = preview.get();
            problem.set(serviceError.get() != null ? serviceError.get() : p != null ? p.error() : null);
        };
        preview.addListener((o, a, b) -> update.run());
        serviceError.addListener((o, a, b) -> update.run());
        this.values.addListener((javafx.collections.ListChangeListener<String>) c -> serviceError.set(null));
    }

    /** @return the kind */
    public ConstraintSpec.Kind kind() {
        return kind;
    }

    /** @return the colour index, 0 … {@link #COLOURS} − 1 */
    public int colour() {
        return colour;
    }

    /** @return the phrases, options or parts (edited in place) */
    public ObservableList<String> values() {
        return values;
    }

    /** @return whether the chip takes part in generation */
    public BooleanProperty enabledProperty() {
        return enabled;
    }

    /** @return the prompt (0-based line) the chip applies to, or −1 for every prompt */
    public IntegerProperty promptProperty() {
        return prompt;
    }

    /** @return the tokens, warnings and error computed from the model's tokenizer (null until computed) */
    public ObjectProperty<ConstraintPreview> previewProperty() {
        return preview;
    }

    /** @return an error the text service reported for this chip at the last Generate (cleared on edit) */
    public StringProperty serviceErrorProperty() {
        return serviceError;
    }

    /** @return why this chip stops generation, or null */
    public StringProperty problemProperty() {
        return problem;
    }

    /** @return the constraint as the CLI and the constraints file write it */
    public ConstraintSpec spec() {
        return new ConstraintSpec(kind, List.copyOf(values));
    }

    /** @return whether the kind has several phrases (any-of options, ordered parts) */
    public boolean isGroup() {
        return kind == ConstraintSpec.Kind.ANY || kind == ConstraintSpec.Kind.ORDERED;
    }

    /** @return the kind as the chip names it */
    public String title() {
        switch (kind) {
            case PHRASE:
                return "Phrase";
            case ANY:
                return "Any of";
            case ORDERED:
                return "In order";
            case TEMPLATE:
                return "Template";
            default:
                return "Banned";
        }
    }
}
