package dev.atelier.ui.common;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Spinner;

/** Small helpers the panels' forms share. */
public final class Forms {
    private Forms() {
    }

    /**
     * Commits what is typed in the focused editable spinner, if any. A spinner takes typed text on Enter or when
     * it loses the focus; a run started from the keyboard (Ctrl+Enter) does neither, so the panel calls this
     * first and the run uses the value on screen.
     *
     * @param scene the panel's scene (null: nothing to do)
     */
    public static void commitFocusedSpinner(Scene scene) {
        Node n = scene == null ? null : scene.getFocusOwner();
        while (n != null && !(n instanceof Spinner)) {
            n = n.getParent();
        }
        if (n instanceof Spinner<?> s && s.isEditable()) {
            s.commitValue();
        }
    }
}
