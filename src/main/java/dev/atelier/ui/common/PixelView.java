package dev.atelier.ui.common;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;

/**
 * Shows a small image enlarged by the largest whole factor that fits the box, with nearest-neighbour
 * scaling done on the pixels (so no renderer can blur it), centred. Its preferred size is the image times
 * {@link #setPreferredFactor(int)}.
 */
public class PixelView extends Region {
    private final ObjectProperty<Image> image = new SimpleObjectProperty<>(this, "image");
    private final ImageView view = new ImageView();
    private int preferredFactor = 4;
    private int shownFactor;
    private Image shownSource;

    /** An empty view. */
    public PixelView() {
        getStyleClass().add("pixel-view");
        view.setSmooth(false);
        getChildren().add(view);
        image.addListener((o, was, now) -> {
            shownSource = null;
            requestLayout();
        });
    }

    /** @param img the image to show */
    public PixelView(Image img) {
        this();
        setImage(img);
    }

    /** @return the image at its own size (null for none) */
    public ObjectProperty<Image> imageProperty() {
        return image;
    }

    public Image getImage() {
        return image.get();
    }

    public void setImage(Image img) {
        image.set(img);
    }

    /** @param factor the enlargement asked for by the preferred size (default 4) */
    public void setPreferredFactor(int factor) {
        preferredFactor = Math.max(1, factor);
        requestLayout();
    }

    /** @return the whole factor the image is shown at now (0 before the first layout) */
    public int shownFactor() {
        return shownFactor;
    }

    @Override
    protected double computePrefWidth(double height) {
        Image img = image.get();
        return snappedLeftInset() + snappedRightInset() + (img == null ? 0 : img.getWidth() * preferredFactor);
    }

    @Override
    protected double computePrefHeight(double width) {
        Image img = image.get();
        return snappedTopInset() + snappedBottomInset() + (img == null ? 0 : img.getHeight() * preferredFactor);
    }

    @Override
    protected double computeMinWidth(double height) {
        Image img = image.get();
        return snappedLeftInset() + snappedRightInset() + (img == null ? 0 : img.getWidth());
    }

    @Override
    protected double computeMinHeight(double width) {
        Image img = image.get();
        return snappedTopInset() + snappedBottomInset() + (img == null ? 0 : img.getHeight());
    }

    @Override
    protected void layoutChildren() {
        Image img = image.get();
        if (img == null || img.getWidth() < 1) {
            view.setImage(null);
            shownSource = null;
            return;
        }
        double w = getWidth() - snappedLeftInset() - snappedRightInset();
        double h = getHeight() - snappedTopInset() - snappedBottomInset();
        int factor = (int) Math.max(1, Math.floor(Math.min(w / img.getWidth(), h / img.getHeight())));
        if (img != shownSource || factor != shownFactor) {
            view.setImage(PixelImages.enlarge(img, factor));
            shownSource = img;
            shownFactor = factor;
        }
        double iw = img.getWidth() * factor;
        double ih = img.getHeight() * factor;
        view.relocate(Math.round(snappedLeftInset() + (w - iw) / 2), Math.round(snappedTopInset() + (h - ih) / 2));
    }
}
