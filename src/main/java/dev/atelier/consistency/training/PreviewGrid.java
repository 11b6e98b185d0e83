package dev.atelier.consistency.training;

import dev.atelier.runtime.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Tiles images in [−1, 1] (NCHW floats) into one PNG, row-major, no padding: training previews. */
public final class PreviewGrid {
    private PreviewGrid() {
    }

    /**
     * @param x count·C·S·S values in [−1, 1] (clamped)
     * @param columns tiles per row
     * @return the grid image
     */
    public static BufferedImage tile(float[] x, int count, int channels, int size, int columns) {
        int rows = (count + columns - 1) / columns;
        BufferedImage img = new BufferedImage(columns * size, rows * size, BufferedImage.TYPE_INT_RGB);
        int plane = size * size;
        for (int i = 0; i < count; i++) {
            int ox = (i % columns) * size;
            int oy = (i / columns) * size;
            int base = i * channels * plane;
            for (int yy = 0; yy < size; yy++) {
                for (int xx = 0; xx < size; xx++) {
                    int at = yy * size + xx;
                    int r = toByte(x[base + at]);
                    int g = channels == 3 ? toByte(x[base + plane + at]) : r;
                    int b = channels == 3 ? toByte(x[base + 2 * plane + at]) : r;
                    img.setRGB(ox + xx, oy + yy, (r << 16) | (g << 8) | b);
                }
            }
        }
        return img;
    }

    private static int toByte(float v) {
        return Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
    }

    /** Writes {@link #tile} as a PNG atomically. */
    public static void write(Path file, float[] x, int count, int channels, int size, int columns) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // no disk cache: it registers a shutdown hook, which fails when a preview is written on Ctrl+C
        ImageIO.setUseCache(false);
        ImageIO.write(tile(x, count, channels, size, columns), "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
