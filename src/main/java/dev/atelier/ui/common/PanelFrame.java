package dev.atelier.ui.common;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A titled frame for one studio panel: heading, one-line purpose, and the panel's content below. */
public class PanelFrame extends VBox {
    /**
     * @param id the node id (for tests and CSS), e.g. "sampling-panel"
     * @param title the heading
     * @param purpose one line saying what the panel does
     */
    public PanelFrame(String id, String title, String purpose) {
        setId(id);
        getStyleClass().add("panel-frame");
        setSpacing(8);
        setPadding(new Insets(16));
        setAlignment(Pos.TOP_LEFT);
        Label heading = new Label(title);
        heading.getStyleClass().add("panel-title");
        Label sub = new Label(purpose);
        sub.getStyleClass().add("panel-purpose");
        sub.setWrapText(true);
        getChildren().addAll(heading, sub);
    }
}
