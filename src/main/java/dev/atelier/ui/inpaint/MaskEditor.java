package dev.atelier.ui.inpaint;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.paint.Color;

/**
 * The input image enlarged at an integer factor with nearest-neighbour pixels (crisp), the mask drawn over
 * it, and the brush: drag with the primary button to paint (regenerate), with the secondary button or the
 * eraser on to erase (keep); the mouse wheel changes the brush size. Mask coordinates are model pixels.
 */
public final class MaskEditor extends PixelPane {
    /** Overlay colour of pixels to regenerate. */
    static final Color MASK_COLOR = Color.web("#ff2f6d");

    private final ObjectProperty<InputImage> image = new SimpleObjectProperty<>();
    private final ObjectProperty<MaskModel> mask = new SimpleObjectProperty<>();
    private final DoubleProperty brush = new SimpleDoubleProperty(3);
    private final DoubleProperty overlay = new SimpleDoubleProperty(0.55);
    private final BooleanProperty eraser = new SimpleBooleanProperty();
    private final BooleanProperty paintable = new SimpleBooleanProperty(true);
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
        paintable.addListener(o -> redraw());
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

    /** @return false to show the mask without painting (tasks that use no mask) */
    public BooleanProperty paintableProperty() {
        return paintable;
    }

    @Override
    int side() {
        return image.get() != null ? image.get().size() : mask.get() != null ? mask.get().size() : 28;
    }

    private void pressed(MouseEvent e) {
        requestFocus();
        e.consume(); // else the TabPane's behaviour takes the focus back on the way up
        MaskModel m = mask.get();
        if (m == null || image.get() == null || !paintable.get()) {
            return;
        }
        boolean erase = eraser.get() || e.getButton() == MouseButton.SECONDARY;
        m.beginStroke(toModel(e.getX(), originX()), toModel(e.getY(), originY()), brush.get(), erase);
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
        if (m != null && m.size() == s && paintable.get()) { // the mask only shows for the task that uses it
            g.setFill(MASK_COLOR.deriveColor(0, 1, 1, overlay.get()));
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    if (m.get(x, y)) {
                        g.fillRect(ox + x * k, oy + y * k, k, k);
                    }
                }
            }
        }
        if (paintable.get() && !Double.isNaN(mouseX)) {
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
