package dev.atelier.ui.inpaint;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A canvas that shows an S×S model image as large as fits at an integer factor (crisp pixels), centered;
 * subclasses paint in {@link #paint}. Model pixel (x, y) covers [x, x+1)×[y, y+1) scaled by {@link #scale}
 * from ({@link #originX}, {@link #originY}).
 */
abstract class PixelPane extends Region {
    final Canvas canvas = new Canvas();

    PixelPane() {
        getChildren().add(canvas);
        setMinSize(112, 112);
    }

    /** @return S, the side of the image shown (or of the empty frame) */
    abstract int side();

    /** Paints the content; the canvas has been cleared. */
    abstract void paint(GraphicsContext g, double ox, double oy, double k, int s);

    /** @return screen pixels per model pixel (an integer ≥ 1) */
    public double scale() {
        return Math.max(1, Math.floor(Math.min(getWidth(), getHeight()) / side()));
    }

    /** @return the x of model pixel column 0 in this node's coordinates */
    public double originX() {
        return Math.floor((getWidth() - scale() * side()) / 2);
    }

    /** @return the y of model pixel row 0 in this node's coordinates */
    public double originY() {
        return Math.floor((getHeight() - scale() * side()) / 2);
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        redraw();
    }

    /** Paints again. */
    public void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        paint(g, originX(), originY(), scale(), side());
    }

    /** Draws the dashed frame shown while there is nothing to show. */
    static void emptyFrame(GraphicsContext g, double ox, double oy, double k, int s) {
        g.setStroke(Color.gray(0.5, 0.6));
        g.setLineDashes(6, 6);
        g.strokeRect(ox + 0.5, oy + 0.5, k * s - 1, k * s - 1);
        g.setLineDashes();
    }
}
