package dev.atelier.ui.inpaint;

import dev.atelier.image.PngImages;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/** Paints model pixels (C·S·S values in [−1, 1]) as k×k squares: nearest-neighbour, never blurred. */
final class PixelPainter {
    private PixelPainter() {
    }

    /**
     * Paints columns [x0, x1) of an image.
     *
     * @param g where to paint
     * @param pixels C·S·S values in [−1, 1]
     * @param channels 1 or 3
     * @param size S
     * @param ox x of column 0
     * @param oy y of row 0
     * @param k screen pixels per model pixel
     */
    static void paint(GraphicsContext g, float[] pixels, int channels, int size, double ox, double oy, double k,
            int x0, int x1) {
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = x0; x < x1; x++) {
                int i = y * size + x;
                double r = unit(pixels[i]);
                Color c = channels == 1 ? Color.gray(r) : Color.color(r, unit(pixels[plane + i]), unit(pixels[2 * plane + i]));
                g.setFill(c);
                g.fillRect(ox + x * k, oy + y * k, k, k);
            }
        }
    }

    /** @return v ∈ [−1, 1] as the 8-bit level a saved PNG holds, in [0, 1] */
    static double unit(float v) {
        return PngImages.to8bit(v) / 255.0;
    }
}
