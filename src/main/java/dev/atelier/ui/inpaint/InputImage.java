package dev.atelier.ui.inpaint;

import dev.atelier.AtelierException;
import dev.atelier.image.ImageFiles;
import dev.atelier.image.PngImages;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * The panel's input: an image of any size brought to the model's geometry exactly as the engine does
 * (the largest centered square, box-resampled to S×S; {@link ImageFiles#fromImage}) and rounded to 8 bits,
 * so the input is the S×S picture the panel shows and a saved PNG holds, and the editing service, given that
 * picture, sees exactly {@link #pixels()}. Kept with it: what the user needs to see what was cropped (the
 * source size, the crop square and a small picture of the whole source).
 *
 * @param picture the S×S 8-bit picture handed to the editing service
 * @param pixels its C·S·S values in [−1, 1]
 * @param channels C
 * @param size S
 * @param source where it came from ("photo.jpg", "the clipboard", "Sampling, seed 42")
 * @param sourceWidth width of the source image
 * @param sourceHeight height of the source image
 * @param crop {x0, y0, side} of the square used, in source pixels
 * @param original the source image (kept to fit it again to another model)
 * @param thumbnail the whole source, at most {@value #THUMBNAIL} pixels on its longer side
 */
public record InputImage(BufferedImage picture, float[] pixels, int channels, int size, String source,
        int sourceWidth, int sourceHeight, int[] crop, BufferedImage original, BufferedImage thumbnail) {
    /** Longest side of the thumbnail. */
    public static final int THUMBNAIL = 240;

    /**
     * Fits any decoded image to a model: the one path every import (drop, Open…, paste, "send to") takes.
     *
     * @throws AtelierException for an image of more than {@link ImageFiles#MAX_PIXELS} pixels
     */
    public static InputImage fit(BufferedImage img, String source, int size, int channels) {
        long w = img.getWidth();
        long h = img.getHeight();
        if (w * h > ImageFiles.MAX_PIXELS) {
            throw new AtelierException("The image " + source + " is " + w + "×" + h + " = "
                    + String.format(Locale.ROOT, "%.1f", w * h / 1e6) + " megapixels, more than the "
                    + ImageFiles.MAX_PIXELS / 1_000_000 + " megapixels Atelier decodes. Scale it down first.");
        }
        float[] fitted = ImageFiles.fromImage(img, size, channels).pixels();
        BufferedImage picture = PngImages.grid(fitted, 1, channels, size, 0);
        float[] pixels = ImageFiles.fromImage(picture, size, channels).pixels();
        return new InputImage(picture, pixels, channels, size, source, img.getWidth(), img.getHeight(),
                cropSquare(img.getWidth(), img.getHeight()), img, thumbnail(img));
    }

    /** @return this image fitted again to another model's geometry */
    public InputImage refit(int newSize, int newChannels) {
        return fit(original, source, newSize, newChannels);
    }

    /** @return true if part of the source was cut off (the source is not square) */
    public boolean cropped() {
        return sourceWidth != sourceHeight;
    }

    /** @return one line saying what was used, e.g. "photo.jpg, 1200×800: the center 800×800, resampled to 28×28" */
    public String describe() {
        String used = cropped() ? "the center " + crop[2] + "×" + crop[2] + " (sides cropped)" : "all of it";
        String resampled = crop[2] == size ? "" : ", resampled to " + size + "×" + size;
        return source + ", " + sourceWidth + "×" + sourceHeight + ": " + used + resampled;
    }

    /** @return {x0, y0, side}: the largest centered square, the part of a w×h image {@link ImageFiles} uses */
    static int[] cropSquare(int w, int h) {
        int side = Math.min(w, h);
        return new int[] {(w - side) / 2, (h - side) / 2, side};
    }

    /**
     * The whole source, small, read as {@link ImageFiles} reads it (gray samples as they are, alpha on white),
     * so the picture matches what the model gets: each thumbnail pixel is the source pixel at its centre.
     */
    private static BufferedImage thumbnail(BufferedImage img) {
        double scale = Math.min(1.0, (double) THUMBNAIL / Math.max(img.getWidth(), img.getHeight()));
        int tw = Math.max(1, (int) Math.round(img.getWidth() * scale));
        int th = Math.max(1, (int) Math.round(img.getHeight() * scale));
        BufferedImage t = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        float[] rgba = new float[4];
        for (int y = 0; y < th; y++) {
            int sy = Math.min(img.getHeight() - 1, (int) ((y + 0.5) * img.getHeight() / th));
            for (int x = 0; x < tw; x++) {
                int sx = Math.min(img.getWidth() - 1, (int) ((x + 0.5) * img.getWidth() / tw));
                ImageFiles.readRow(img, sx, sy, 1, rgba);
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    rgb = rgb << 8 | (int) Math.round(255 * (rgba[c] * rgba[3] + 1 - rgba[3]));
                }
                t.setRGB(x, y, rgb);
            }
        }
        return t;
    }
}
