package dev.atelier.consistency.training;

import dev.atelier.AtelierException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * A labelled or unlabelled image set held in memory as 8-bit pixels (N × C × S × S, channel-major),
 * loaded from IDX files (MNIST / Fashion-MNIST format, gzipped or not) or from an image folder (one
 * subfolder per class gives labels; loose images give none). Pixels map to [−1, 1] as p/127.5 − 1.
 *
 * @param pixels all images, N·C·S·S bytes (unsigned)
 * @param labels class per image, or null
 * @param classes class names (subfolder names, or "0"…"9" for IDX), or null
 * @param count N
 * @param channels C
 * @param size S
 * @param source a description for the manifest
 */
public record ImageData(byte[] pixels, int[] labels, List<String> classes, int count, int channels, int size,
                        String source) {
    private static final int IDX_IMAGES = 0x00000803;
    private static final int IDX_LABELS = 0x00000801;
    /** Fashion-MNIST's class names, used when an IDX set has exactly these ten labels. */
    public static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** @return values per image (C·S·S) */
    public int imageSize() {
        return channels * size * size;
    }

    /** Writes image {@code i} as floats in [−1, 1] into {@code out} at {@code offset}. */
    public void copyTo(int i, float[] out, int offset) {
        int n = imageSize();
        int base = i * n;
        for (int j = 0; j < n; j++) {
            out[offset + j] = (pixels[base + j] & 0xFF) / 127.5f - 1f;
        }
    }

    /**
     * Loads training images from a path: an IDX image file (labels from the matching
     * {@code …labels-idx1-ubyte[.gz]} beside it), a directory holding {@code train-images-idx3-ubyte[.gz]},
     * or an image folder.
     *
     * @param size side length for image folders (IDX keeps its own size)
     * @param channels 1 or 3 for image folders (0 = decide from the first image)
     * @param train for IDX directories: the train split (true) or the t10k test split
     */
    public static ImageData load(Path path, int size, int channels, boolean train) {
        if (Files.isRegularFile(path)) {
            return loadIdx(path, labelsBeside(path));
        }
        if (!Files.isDirectory(path)) {
            throw AtelierException.field("data", "The training data " + path + " does not exist. Pass {data} with an IDX image "
                    + "file, a directory with train-images-idx3-ubyte(.gz), or a folder of images.");
        }
        String prefix = train ? "train" : "t10k";
        for (String name : new String[] {prefix + "-images-idx3-ubyte.gz", prefix + "-images-idx3-ubyte"}) {
            Path f = path.resolve(name);
            if (Files.isRegularFile(f)) {
                return loadIdx(f, labelsBeside(f));
            }
        }
        return loadFolder(path, size, channels);
    }

    private static Path labelsBeside(Path images) {
        String name = images.getFileName().toString();
        if (!name.contains("images-idx3")) {
            return null;
        }
        String stem = name.replace("images-idx3", "labels-idx1").replaceFirst("\\.gz$", "");
        for (String candidate : new String[] {stem + ".gz", stem}) {
            Path labels = images.resolveSibling(candidate);
            if (Files.isRegularFile(labels)) {
                return labels;
            }
        }
        return null;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16)) : in;
    }

    /**
     * Reads an IDX image file (magic 0x803, N × rows × cols unsigned bytes) and optionally its labels
     * (magic 0x801, N unsigned bytes).
     *
     * @throws AtelierException when a file is not IDX, the counts differ, or the file is cut short
     */
    public static ImageData loadIdx(Path images, Path labelsFile) {
        byte[] pixels;
        int n;
        int rows;
        try (DataInputStream in = new DataInputStream(open(images))) {
            int magic = in.readInt();
            if (magic != IDX_IMAGES) {
                throw new AtelierException(String.format(Locale.ROOT, "%s is not an IDX image file (magic 0x%08x, "
                        + "expected 0x00000803). Pass the …-images-idx3-ubyte(.gz) file.", images, magic));
            }
            n = in.readInt();
            rows = in.readInt();
            int cols = in.readInt();
            if (rows != cols || n <= 0 || rows <= 0 || rows > dev.atelier.Limits.MAX_IMAGE_SIZE
                    || (long) n * rows * cols > Integer.MAX_VALUE - 16) {
                throw new AtelierException("The IDX file " + images + " says it holds " + n + " images of " + rows + "×"
                        + cols + "; Atelier trains on square images of at most " + dev.atelier.Limits.MAX_IMAGE_SIZE
                        + " pixels, fewer than 2^31 bytes in all. Convert them to a folder of square images.");
            }
            // readNBytes grows its buffer with what actually arrives: a damaged count in the header cannot make it
            // allocate gigabytes for a small file
            pixels = in.readNBytes(n * rows * cols);
            if (pixels.length != n * rows * cols) {
                throw new java.io.EOFException();
            }
        } catch (java.io.EOFException e) {
            throw new AtelierException("The IDX file " + images + " is shorter than its header says. Download or "
                    + "copy it again.", e);
        } catch (IOException e) {
            throw new AtelierException("Cannot read " + images + " (" + AtelierException.reason(e) + ").", e);
        }
        int[] labels = null;
        List<String> classes = null;
        if (labelsFile != null) {
            try (DataInputStream in = new DataInputStream(open(labelsFile))) {
                int magic = in.readInt();
                if (magic != IDX_LABELS) {
                    throw new AtelierException(String.format(Locale.ROOT, "%s is not an IDX label file (magic 0x%08x, "
                            + "expected 0x00000801).", labelsFile, magic));
                }
                int m = in.readInt();
                if (m != n) {
                    throw new AtelierException("The label file " + labelsFile + " has " + m + " labels for " + n
                            + " images. Use the label file that belongs to the image file.");
                }
                byte[] raw = in.readNBytes(n);
                if (raw.length != n) {
                    throw new java.io.EOFException();
                }
                labels = new int[n];
                int max = 0;
                for (int i = 0; i < n; i++) {
                    labels[i] = raw[i] & 0xFF;
                    max = Math.max(max, labels[i]);
                }
                classes = new ArrayList<>();
                boolean fashion = images.toString().toLowerCase(Locale.ROOT).contains("fashion") && max == 9;
                for (int c = 0; c <= max; c++) {
                    classes.add(fashion ? FASHION_MNIST.get(c) : Integer.toString(c));
                }
            } catch (java.io.EOFException e) {
                throw new AtelierException("The IDX label file " + labelsFile + " is cut short. Copy it again.", e);
            } catch (IOException e) {
                throw new AtelierException("Cannot read " + labelsFile + " (" + AtelierException.reason(e) + ").", e);
            }
        }
        return new ImageData(pixels, labels, classes, n, 1, rows, images.toString());
    }

    /** Loads every PNG/JPEG/GIF/BMP under {@code dir} (one subfolder per class, or loose images). */
    public static ImageData loadFolder(Path dir, int size, int channels) {
        List<Path> subdirs = new ArrayList<>();
        List<Path> loose = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.sorted().forEach(p -> {
                if (Files.isDirectory(p)) {
                    subdirs.add(p);
                } else if (isImage(p)) {
                    loose.add(p);
                }
            });
        } catch (IOException e) {
            throw new AtelierException("Cannot list " + dir + " (" + AtelierException.reason(e) + ").", e);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        List<String> classes = null;
        if (!subdirs.isEmpty()) {
            classes = new ArrayList<>();
            for (Path sub : subdirs) {
                List<Path> in;
                try (Stream<Path> s = Files.list(sub)) {
                    in = s.filter(ImageData::isImage).sorted().toList();
                } catch (IOException e) {
                    throw new AtelierException("Cannot list " + sub + " (" + AtelierException.reason(e) + ").", e);
                }
                if (in.isEmpty()) {
                    continue;
                }
                for (Path f : in) {
                    files.add(f);
                    labelList.add(classes.size());
                }
                classes.add(sub.getFileName().toString());
            }
        } else {
            files.addAll(loose);
        }
        if (files.isEmpty()) {
            throw new AtelierException("No images (png, jpg, gif, bmp) found in " + dir + ". Put images there, one "
                    + "subfolder per class for class-conditional training.");
        }
        int c = channels;
        byte[] pixels = null;
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img;
            try {
                img = ImageIO.read(files.get(i).toFile());
            } catch (IOException e) {
                throw new AtelierException("Cannot read the image " + files.get(i) + " (" + AtelierException.reason(e) + "). "
                        + "Remove or replace it.", e);
            }
            if (img == null) {
                throw new AtelierException("The file " + files.get(i) + " is not an image Java can decode. Remove it "
                        + "or convert it to PNG.");
            }
            if (c == 0) {
                c = img.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
            }
            if (pixels == null) {
                pixels = new byte[files.size() * c * size * size];
            }
            BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(img, 0, 0, size, size, null);
            g.dispose();
            int base = i * c * size * size;
            for (int yy = 0; yy < size; yy++) {
                for (int xx = 0; xx < size; xx++) {
                    int rgb = scaled.getRGB(xx, yy);
                    int r = (rgb >> 16) & 0xFF;
                    int gr = (rgb >> 8) & 0xFF;
                    int bl = rgb & 0xFF;
                    int at = yy * size + xx;
                    if (c == 1) {
                        pixels[base + at] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * bl);
                    } else {
                        pixels[base + at] = (byte) r;
                        pixels[base + size * size + at] = (byte) gr;
                        pixels[base + 2 * size * size + at] = (byte) bl;
                    }
                }
            }
        }
        int[] labels = classes == null ? null : labelList.stream().mapToInt(Integer::intValue).toArray();
        return new ImageData(pixels, labels, classes, files.size(), c, size, dir.toString());
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")
                || n.endsWith(".gif") || n.endsWith(".bmp"));
    }
}
