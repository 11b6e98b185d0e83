package dev.atelier.ui.common;

import java.util.Map;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;

/**
 * Shows which control a problem is about: services report bad input as an {@link dev.atelier.AtelierException}
 * whose {@code field()} names the input ("model", "steps", "count"…); a panel maps those keys to its controls,
 * and the control named by the panel's current problem gets the {@value #STYLE} style (a red outline) and the
 * keyboard focus, until the problem is gone.
 */
public final class FieldProblems {
    /** The style class of a control with a problem. */
    public static final String STYLE = "field-problem";

    private FieldProblems() {
    }

    /**
     * Highlights the control of {@code field} whenever it changes (null: none).
     *
     * @param field the field key of the panel's current problem, or null
     * @param controls the panel's controls by field key (several keys may name one control)
     */
    public static void install(ObservableValue<String> field, Map<String, ? extends Node> controls) {
        field.addListener((o, was, now) -> {
            controls.values().forEach(n -> n.getStyleClass().remove(STYLE));
            Node n = now == null ? null : controls.get(now);
            if (n != null) {
                n.getStyleClass().add(STYLE);
                n.requestFocus();
            }
        });
    }
}
