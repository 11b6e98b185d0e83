package dev.atelier.image;

import dev.atelier.AtelierException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG, JPEG (CMYK too, through TwelveMonkeys), BMP and GIF files into a model's input: C·S·S floats in
 * [−1, 1], NCHW. Any size and aspect: the largest centered square is cropped (center-crop, not letterbox,
 * so no bars are invented) and resampled to S×S with an exact box (area) filter, which keeps block means.
 * 8- and 16-bit samples, gray, gray+alpha, RGB, RGBA, CMYK and indexed colour are read; alpha is composited
 * on white; gray samples are taken as they are (no linear-gray gamma conversion). RGB becomes gray by the
 * Rec. 601 luma (0.299, 0.587, 0.114); gray becomes RGB by repetition. A JPEG's EXIF orientation is applied
 * first, so photos are used upright. Files whose header declares more
 * than {@value #MAX_PIXELS} pixels are refused before any pixel is decoded.
 */
public final class ImageFiles {
    /** The largest image accepted: 50 megapixels. */
    public static final long MAX_PIXELS = 50_000_000L;
    private static final double[] LUMA = {0.299, 0.587, 0.114};

    private ImageFiles() {
    }

    /**
     * An image brought to a model's geometry.
     *
     * @param pixels C·S·S values in [−1, 1]
     * @param sourceWidth width of the file's image
     * @param sourceHeight height of the file's image
     */
    public record Loaded(float[] pixels, int sourceWidth, int sourceHeight) {
    }

    /**
     * @param file the image file
     * @param size the model's side S
     * @param channels 1 or 3
     * @throws AtelierException for a missing, empty, truncated, oversized or non-image file
     */
    public static Loaded read(Path file, int size, int channels) {
        return fromImage(decode(file), size, channels);
    }

    /**
     * Brings an image already in memory (e.g. one dropped on the studio) to a model's geometry exactly as
     * {@link #read(Path, int, int)} does for a file.
     *
     * @param img the image
     * @param size the model's side S
     * @param channels 1 or 3
     */
    public static Loaded fromImage(BufferedImage img, int size, int channels) {
        int w = img.getWidth();
        int h = img.getHeight();
        int side = Math.min(w, h);
        int x0 = (w - side) / 2;
        int y0 = (h - side) / 2;
        Axis axis = new Axis(side, size);
        double[][] acc = new double[channels][size * size];
        float[] rgba = new float[4 * side];
        double[] row = new double[channels * size];
        for (int sy = 0; sy < side; sy++) {
            readRow(img, x0, y0 + sy, side, rgba);
            java.util.Arrays.fill(row, 0);
            for (int sx = 0; sx < side; sx++) {
                double a = rgba[4 * sx + 3];
                double r = rgba[4 * sx] * a + (1 - a);
                double g = rgba[4 * sx + 1] * a + (1 - a);
                double b = rgba[4 * sx + 2] * a + (1 - a);
                for (int k = axis.start[sx]; k < axis.start[sx] + axis.weights[sx].length; k++) {
                    double wgt = axis.weights[sx][k - axis.start[sx]];
                    if (channels == 1) {
                        row[k] += wgt * (LUMA[0] * r + LUMA[1] * g + LUMA[2] * b);
                    } else {
                        row[k] += wgt * r;
                        row[size + k] += wgt * g;
                        row[2 * size + k] += wgt * b;
                    }
                }
            }
            for (int k = axis.start[sy]; k < axis.start[sy] + axis.weights[sy].length; k++) {
                double wgt = axis.weights[sy][k - axis.start[sy]];
                for (int c = 0; c < channels; c++) {
                    for (int x = 0; x < size; x++) {
                        acc[c][k * size + x] += wgt * row[c * size + x];
                    }
                }
            }
        }
        float[] out = new float[channels * size * size];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < size * size; i++) {
                out[c * size * size + i] = (float) Math.max(-1, Math.min(1, 2 * acc[c][i] - 1));
            }
        }
        return new Loaded(out, w, h);
    }

    /**
     * Reads an inpainting mask: white (≥ 128 of 255) = regenerate, black = keep; a mask with transparency is
     * composited on black, so transparent pixels are kept and white strokes painted on a transparent layer
     * are what is regenerated. The mask is stretched to the image's size with nearest neighbour, then cropped and brought to
     * S×S exactly as the image was (nearest neighbour again, so it stays binary).
     *
     * @param file the mask file
     * @param imageWidth width of the image the mask belongs to
     * @param imageHeight its height
     * @param size the model's side S
     * @return S·S flags, true = regenerate
     */
    public static boolean[] readMask(Path file, int imageWidth, int imageHeight, int size) {
        BufferedImage img = decode(file);
        float[] rgba = new float[4];
        return mask((mx, my) -> {
            readRow(img, mx, my, 1, rgba);
            // a transparent mask pixel was not painted: it counts as black (keep), so white strokes on a
            // transparent layer regenerate only the strokes
            double v = rgba[3] * (LUMA[0] * rgba[0] + LUMA[1] * rgba[1] + LUMA[2] * rgba[2]);
            return Math.round(v * 255) >= 128;
        }, img.getWidth(), img.getHeight(), imageWidth, imageHeight, size);
    }

    /**
     * Brings a mask painted in memory (e.g. on the studio's canvas) to a model's geometry exactly as
     * {@link #readMask(Path, int, int, int)} does for a mask file.
     *
     * @param regenerate width·height flags, row-major, true = regenerate
     * @param width the mask's width
     * @param height the mask's height
     * @param imageWidth width of the image the mask belongs to
     * @param imageHeight its height
     * @param size the model's side S
     * @return S·S flags, true = regenerate
     */
    public static boolean[] mask(boolean[] regenerate, int width, int height, int imageWidth, int imageHeight,
            int size) {
        if (width < 1 || height < 1 || regenerate.length != width * height) {
            throw new IllegalArgumentException("a mask of " + width + "x" + height + " needs " + width * height
                    + " flags, got " + regenerate.length);
        }
        return mask((mx, my) -> regenerate[my * width + mx], width, height, imageWidth, imageHeight, size);
    }

    /** One pixel of a mask: true = regenerate. */
    @FunctionalInterface
    private interface MaskPixel {
        boolean regenerate(int x, int y);
    }

    private static boolean[] mask(MaskPixel pixel, int mw, int mh, int imageWidth, int imageHeight, int size) {
        int side = Math.min(imageWidth, imageHeight);
        int x0 = (imageWidth - side) / 2;
        int y0 = (imageHeight - side) / 2;
        boolean[] out = new boolean[size * size];
        for (int y = 0; y < size; y++) {
            int iy = y0 + (int) ((y + 0.5) * side / size);
            int my = Math.min(mh - 1, (int) ((iy + 0.5) * mh / imageHeight));
            for (int x = 0; x < size; x++) {
                int ix = x0 + (int) ((x + 0.5) * side / size);
                int mx = Math.min(mw - 1, (int) ((ix + 0.5) * mw / imageWidth));
                out[y * size + x] = pixel.regenerate(mx, my);
            }
        }
        return out;
    }

    /**
     * Decodes a file after checking that it exists, is not empty, is an image ImageIO can read, and declares
     * at most {@value #MAX_PIXELS} pixels.
     */
    public static BufferedImage decode(Path file) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new AtelierException("The image " + file + " does not exist. Check the path.");
        } catch (IOException e) {
            throw new AtelierException("The image " + file + " cannot be read (" + AtelierException.reason(e)
                    + "). Check its permissions.", e);
        }
        if (Files.isDirectory(file)) {
            throw new AtelierException("The image " + file + " is a directory. Give a PNG, JPEG, BMP or GIF file.");
        }
        if (bytes == 0) {
            throw new AtelierException("The image " + file + " is empty (0 bytes). Give a PNG, JPEG, BMP or GIF file.");
        }
        if (!Files.isRegularFile(file)) {
            throw new AtelierException("The image " + file + " is not a regular file (a device or pipe). Give a PNG, "
                    + "JPEG, BMP or GIF file.");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new AtelierException("The file " + file + " is not an image Atelier can read (its content is "
                        + "not PNG, JPEG, BMP or GIF, whatever its name says). Convert it to PNG and try again.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new AtelierException("The image " + file + " declares an empty size " + w + "×" + h
                            + ". The file is damaged; export it again.");
                }
                if (w * h > MAX_PIXELS) {
                    throw new AtelierException("The image " + file + " is " + w + "×" + h + " = "
                            + String.format(Locale.ROOT, "%.1f", w * h / 1e6) + " megapixels, more than the "
                            + MAX_PIXELS / 1_000_000 + " megapixels Atelier decodes. Scale it down first.");
                }
                byte[] pngExif = null;
                if (isPng(file)) { // checked chunk by chunk: CRCs, unknown critical chunks, the eXIf orientation
                    pngExif = PngImages.inspect(file).exif();
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                for (String warning : warnings) {
                    String lw = warning.toLowerCase(Locale.ROOT);
                    if (lw.contains("premature") || lw.contains("truncat") || lw.contains("end of")
                            || lw.contains("corrupt")) {
                        throw new AtelierException("The image " + file + " is truncated or damaged (" + warning
                                + "). Copy or export it again.");
                    }
                }
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (format.contains("jp")) {
                    return ExifOrientation.upright(img, ExifOrientation.of(file));
                }
                return format.equals("png") ? ExifOrientation.upright(img, ExifOrientation.ofTiff(pngExif)) : img;
            } finally {
                reader.dispose();
            }
        } catch (AtelierException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new AtelierException("The image " + file + " is truncated or damaged and cannot be decoded ("
                    + AtelierException.reason(e)
                    + "). Copy or export it again.", e);
        }
    }

    private static boolean isPng(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads {@code n} pixels of row {@code y} from column {@code x0} as r, g, b, a in [0, 1]. Gray and RGB
     * component images (8 or 16 bit, with or without alpha) are read from their samples; everything else
     * (indexed, packed, CMYK converted by the decoder) through getRGB.
     */
    public static void readRow(BufferedImage img, int x0, int y, int n, float[] rgba) {
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        int type = cm.getColorSpace().getType();
        boolean direct = cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
                && (type == ColorSpace.TYPE_GRAY || (type == ColorSpace.TYPE_RGB && cm.getColorSpace().isCS_sRGB()));
        if (direct) {
            int colors = cm.getNumColorComponents();
            int[] samples = new int[n];
            boolean floating = raster.getTransferType() == java.awt.image.DataBuffer.TYPE_FLOAT
                    || raster.getTransferType() == java.awt.image.DataBuffer.TYPE_DOUBLE;
            float[] real = floating ? new float[n] : null;
            for (int band = 0; band < cm.getNumComponents(); band++) {
                double max;
                if (floating) { // floating-point samples (e.g. a 32-bit float TIFF) are in [0, 1] already
                    raster.getSamples(x0, y, n, 1, band, real);
                    max = 1;
                } else {
                    raster.getSamples(x0, y, n, 1, band, samples);
                    max = (1L << cm.getComponentSize(band)) - 1;
                }
                for (int i = 0; i < n; i++) {
                    float v;
                    if (floating) {
                        if (!Float.isFinite(real[i])) {
                            throw new AtelierException("The image holds the floating-point sample " + real[i] + " at "
                                    + "pixel (" + (x0 + i) + ", " + y + "); Atelier reads float samples in [0, 1] and "
                                    + "refuses NaN and infinity. Export the image with finite values, or as 8 or 16 bit.");
                        }
                        v = Math.max(0f, Math.min(1f, real[i]));
                    } else {
                        v = (float) (samples[i] / max);
                    }
                    if (band < colors) {
                        if (colors == 1) {
                            rgba[4 * i] = v;
                            rgba[4 * i + 1] = v;
                            rgba[4 * i + 2] = v;
                        } else {
                            rgba[4 * i + band] = v;
                        }
                    } else {
                        rgba[4 * i + 3] = v;
                    }
                }
            }
            if (!cm.hasAlpha()) {
                for (int i = 0; i < n; i++) {
                    rgba[4 * i + 3] = 1f;
                }
            }
            return;
        }
        int[] argb = img.getRGB(x0, y, n, 1, null, 0, n);
        for (int i = 0; i < n; i++) {
            int p = argb[i];
            rgba[4 * i] = ((p >> 16) & 0xff) / 255f;
            rgba[4 * i + 1] = ((p >> 8) & 0xff) / 255f;
            rgba[4 * i + 2] = (p & 0xff) / 255f;
            rgba[4 * i + 3] = ((p >>> 24) & 0xff) / 255f;
        }
    }

    /**
     * Box-filter weights along one axis from {@code src} samples to {@code dst}: output k covers the source
     * interval [k·src/dst, (k+1)·src/dst); a source sample contributes its overlap, normalised by the width.
     * Stored per source sample: the first output it touches and its weights.
     */
    private static final class Axis {
        final int[] start;
        final double[][] weights;

        Axis(int src, int dst) {
            start = new int[src];
            weights = new double[src][];
            double scale = (double) src / dst;
            for (int s = 0; s < src; s++) {
                int first = (int) Math.floor(s / scale);
                int last = Math.min(dst - 1, (int) Math.ceil((s + 1) / scale) - 1);
                start[s] = first;
                weights[s] = new double[last - first + 1];
                for (int k = first; k <= last; k++) {
                    double lo = Math.max(s, k * scale);
                    double hi = Math.min(s + 1, (k + 1) * scale);
                    weights[s][k - first] = Math.max(0, hi - lo) / scale;
                }
            }
        }
    }
}
