package dev.atelier.ui.inpaint;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;

/**
 * Before/after of a result: the input left of the divider, the result right of it, crisp at an integer
 * factor. Drag on the picture (or move the divider property, e.g. from a slider) to move the divider; the
 * divider snaps to whole model pixels so no pixel is ever shown half one, half the other.
 */
public final class CompareView extends PixelPane {
    private final ObjectProperty<EditResult> result = new SimpleObjectProperty<>();
    private final DoubleProperty divider = new SimpleDoubleProperty(0.5);

    /** An empty view. */
    public CompareView() {
        getStyleClass().add("compare-view");
        setPrefSize(336, 336);
        result.addListener(o -> redraw());
        divider.addListener(o -> redraw());
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::move);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::move);
    }

    /** @return the result shown */
    public ObjectProperty<EditResult> resultProperty() {
        return result;
    }

    /** @return the divider as a fraction of the width: 0 = all result, 1 = all input */
    public DoubleProperty dividerProperty() {
        return divider;
    }

    private void move(MouseEvent e) {
        e.consume();
        double w = scale() * side();
        divider.set(Math.max(0, Math.min(1, (e.getX() - originX()) / w)));
    }

    @Override
    int side() {
        return result.get() == null ? 28 : result.get().size();
    }

    /** @return the first column shown from the result (columns before it show the input) */
    public int splitColumn() {
        return (int) Math.round(divider.get() * side());
    }

    @Override
    void paint(GraphicsContext g, double ox, double oy, double k, int s) {
        EditResult r = result.get();
        if (r == null) {
            emptyFrame(g, ox, oy, k, s);
            return;
        }
        int split = splitColumn();
        PixelPainter.paint(g, r.before(), r.channels(), s, ox, oy, k, 0, split);
        PixelPainter.paint(g, r.after(), r.channels(), s, ox, oy, k, split, s);
        double x = ox + split * k;
        g.setStroke(Color.WHITE);
        g.setLineWidth(3);
        g.strokeLine(x, oy, x, oy + s * k);
        g.setStroke(Color.web("#3b6fd8"));
        g.setLineWidth(1);
        g.strokeLine(x, oy, x, oy + s * k);
        g.setFill(Color.rgb(0, 0, 0, 0.55));
        g.fillRect(ox + 4, oy + 4, 52, 18);
        g.fillRect(ox + s * k - 52, oy + 4, 48, 18);
        g.setFill(Color.WHITE);
        g.fillText("before", ox + 10, oy + 17);
        g.fillText("after", ox + s * k - 45, oy + 17);
    }
}
