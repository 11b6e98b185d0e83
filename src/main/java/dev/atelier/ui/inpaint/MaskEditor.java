package dev.atelier.ui.inpaint;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.paint.Color;

/**
 * The input image enlarged at an integer factor with nearest-neighbour pixels (crisp), the layer being painted
 * drawn over it, and the brush. On the mask: drag with the primary button to paint (regenerate), with the
 * secondary button or the eraser on to erase (keep). On the stroke layer (stroke-guided editing): the primary
 * button paints the brush colour, the secondary button or the eraser removes paint. The mouse wheel changes
 * the brush size. Coordinates are model pixels.
 */
public final class MaskEditor extends PixelPane {
    /** What the brush paints on. */
    public enum Layer {
        /** the inpainting mask */
        MASK,
        /** the stroke layer of stroke-guided editing */
        STROKES,
        /** nothing (tasks that use neither) */
        NONE
    }

    /** Overlay colour of pixels to regenerate. */
    static final Color MASK_COLOR = Color.web("#ff2f6d");

    private final ObjectProperty<InputImage> image = new SimpleObjectProperty<>();
    private final ObjectProperty<MaskModel> mask = new SimpleObjectProperty<>();
    private final DoubleProperty brush = new SimpleDoubleProperty(3);
    private final DoubleProperty overlay = new SimpleDoubleProperty(0.55);
    private final BooleanProperty eraser = new SimpleBooleanProperty();
    private final ObjectProperty<Layer> layer = new SimpleObjectProperty<>(Layer.MASK);
    private final IntegerProperty colour = new SimpleIntegerProperty(0xffffff);
    private double mouseX = Double.NaN;
    private double mouseY = Double.NaN;

    /** An empty editor; bind its properties to the view model. */
    public MaskEditor() {
        getStyleClass().add("mask-editor");
        setPrefSize(448, 448);
        setFocusTraversable(true);
        image.addListener(o -> redraw());
        mask.addListener(o -> redraw());
        overlay.addListener(o -> redraw());
        brush.addListener(o -> redraw());
        layer.addListener(o -> redraw());
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            if (mask.get() != null) {
                mask.get().endStroke();
            }
        });
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> {
            mouseX = Double.NaN;
            redraw();
        });
        canvas.addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0) {
                double max = mask.get() == null ? 14 : mask.get().size() / 2.0;
                brush.set(Math.max(0.5, Math.min(max, brush.get() + Math.signum(e.getDeltaY()) * 0.5)));
                e.consume();
            }
        });
    }

    /** @return the image shown */
    public ObjectProperty<InputImage> imageProperty() {
        return image;
    }

    /** @return the mask painted on */
    public ObjectProperty<MaskModel> maskProperty() {
        return mask;
    }

    /** @return brush radius in model pixels */
    public DoubleProperty brushProperty() {
        return brush;
    }

    /** @return overlay opacity */
    public DoubleProperty overlayProperty() {
        return overlay;
    }

    /** @return true when the primary button erases */
    public BooleanProperty eraserProperty() {
        return eraser;
    }

    /** @return what the brush paints on */
    public ObjectProperty<Layer> layerProperty() {
        return layer;
    }

    /** @return the colour a stroke paints on the stroke layer, 0xRRGGBB */
    public IntegerProperty colourProperty() {
        return colour;
    }

    @Override
    int side() {
        return image.get() != null ? image.get().size() : mask.get() != null ? mask.get().size() : 28;
    }

    private void pressed(MouseEvent e) {
        requestFocus();
        e.consume(); // else the TabPane's behaviour takes the focus back on the way up
        MaskModel m = mask.get();
        if (m == null || image.get() == null || layer.get() == Layer.NONE) {
            return;
        }
        boolean erase = eraser.get() || e.getButton() == MouseButton.SECONDARY;
        double x = toModel(e.getX(), originX());
        double y = toModel(e.getY(), originY());
        if (layer.get() == Layer.MASK) {
            m.beginStroke(x, y, brush.get(), erase);
        } else {
            m.beginColourStroke(x, y, brush.get(), colour.get(), erase);
        }
        moved(e);
    }

    private void dragged(MouseEvent e) {
        MaskModel m = mask.get();
        if (m != null && m.stroking()) {
            m.strokeTo(toModel(e.getX(), originX()), toModel(e.getY(), originY()));
        }
        moved(e);
    }

    private void moved(MouseEvent e) {
        mouseX = e.getX();
        mouseY = e.getY();
        redraw();
    }

    private double toModel(double v, double origin) {
        return (v - origin) / scale();
    }

    @Override
    void paint(GraphicsContext g, double ox, double oy, double k, int s) {
        InputImage img = image.get();
        if (img == null) {
            emptyFrame(g, ox, oy, k, s);
            return;
        }
        PixelPainter.paint(g, img.pixels(), img.channels(), s, ox, oy, k, 0, s);
        MaskModel m = mask.get();
        if (m != null && m.size() == s && layer.get() == Layer.STROKES) { // strokes replace the input's pixels
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int c = m.paintAt(x, y);
                    if (c != 0) {
                        g.setFill(Color.rgb(c >> 16 & 0xff, c >> 8 & 0xff, c & 0xff));
                        g.fillRect(ox + x * k, oy + y * k, k, k);
                    }
                }
            }
        }
        if (m != null && m.size() == s && layer.get() == Layer.MASK) { // the mask only shows for the task that uses it
            g.setFill(MASK_COLOR.deriveColor(0, 1, 1, overlay.get()));
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    if (m.get(x, y)) {
                        g.fillRect(ox + x * k, oy + y * k, k, k);
                    }
                }
            }
        }
        if (layer.get() != Layer.NONE && !Double.isNaN(mouseX)) {
            double r = brush.get() * k;
            g.setStroke(Color.WHITE);
            g.setLineWidth(2);
            g.strokeOval(mouseX - r, mouseY - r, 2 * r, 2 * r);
            g.setStroke(Color.BLACK);
            g.setLineWidth(1);
            g.strokeOval(mouseX - r, mouseY - r, 2 * r, 2 * r);
        }
    }
}
