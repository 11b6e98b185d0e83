package dev.atelier.ui.common;

import dev.atelier.image.PngImages;
import java.awt.image.BufferedImage;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;

/**
 * Conversions between model pixels, AWT images and JavaFX images, and nearest-neighbour enlargement: a
 * 28×28 sample shown at 112×112 must stay crisp, never be blurred by the renderer's bilinear filter.
 */
public final class PixelImages {
    private PixelImages() {
    }

    /**
     * One image of a batch as a JavaFX image at its own size.
     *
     * @param batch n·C·S·S values in [−1, 1], NCHW
     * @param index which image
     * @param channels 1 or 3
     * @param size S
     */
    public static WritableImage fromModel(float[] batch, int index, int channels, int size) {
        int plane = size * size;
        int base = index * channels * plane;
        int[] argb = new int[plane];
        for (int p = 0; p < plane; p++) {
            int r = PngImages.to8bit(batch[base + p]);
            int g = channels == 3 ? PngImages.to8bit(batch[base + plane + p]) : r;
            int b = channels == 3 ? PngImages.to8bit(batch[base + 2 * plane + p]) : r;
            argb[p] = 0xff000000 | r << 16 | g << 8 | b;
        }
        WritableImage img = new WritableImage(size, size);
        img.getPixelWriter().setPixels(0, 0, size, size, PixelFormat.getIntArgbInstance(), argb, 0, size);
        return img;
    }

    /**
     * @param factor the enlargement, ≥ 1 (1 returns {@code src} itself)
     * @return {@code src} enlarged by an integer factor, each pixel a factor×factor block
     */
    public static Image enlarge(Image src, int factor) {
        if (factor <= 1) {
            return src;
        }
        int w = (int) src.getWidth();
        int h = (int) src.getHeight();
        int[] in = new int[w * h];
        PixelReader reader = src.getPixelReader();
        reader.getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), in, 0, w);
        int ow = w * factor;
        int[] out = new int[ow * h * factor];
        for (int y = 0; y < h * factor; y++) {
            int row = (y / factor) * w;
            int o = y * ow;
            for (int x = 0; x < ow; x++) {
                out[o + x] = in[row + x / factor];
            }
        }
        WritableImage img = new WritableImage(ow, h * factor);
        img.getPixelWriter().setPixels(0, 0, ow, h * factor, PixelFormat.getIntArgbInstance(), out, 0, ow);
        return img;
    }

    /** @return the JavaFX image as an AWT image (for PNG files) */
    public static BufferedImage toAwt(Image img) {
        return SwingFXUtils.fromFXImage(img, null);
    }

    /** @return the AWT image as a JavaFX image */
    public static WritableImage toFx(BufferedImage img) {
        return SwingFXUtils.toFXImage(img, null);
    }
}
