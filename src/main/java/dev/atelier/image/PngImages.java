package dev.atelier.image;

import dev.atelier.AtelierException;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.base.AtomicFiles;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes images as an 8-bit PNG grid with the generation parameters in an uncompressed {@code tEXt} chunk
 * (keyword {@value #KEYWORD}), and reads those parameters back. Grid (docs/FORMATS.md): tiles at the model's
 * size, edge to edge unless a gap is asked for, in a near-square grid (columns = ⌈√n⌉, rows = ⌈n/columns⌉),
 * row-major; gaps and empty cells are black.
 */
public final class PngImages {
    /** The tEXt keyword that holds the JSON parameters. */
    public static final String KEYWORD = "atelier";
    /** tEXt chunks longer than this are skipped unread (Atelier's settings are a few hundred bytes). */
    private static final int MAX_TEXT_CHUNK = 1 << 20;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** The critical chunks of the PNG specification; any other critical chunk makes a PNG unreadable. */
    private static final java.util.Set<String> CRITICAL = java.util.Set.of("IHDR", "PLTE", "IDAT", "IEND");

    private PngImages() {
    }

    /** @return the grid's columns for {@code n} tiles, ⌈√n⌉ */
    public static int columns(int n) {
        int c = (int) Math.ceil(Math.sqrt(n));
        while (c * c < n) {
            c++;
        }
        return Math.max(1, c);
    }

    /** @return the grid's rows for {@code n} tiles */
    public static int rows(int n) {
        return (n + columns(n) - 1) / columns(n);
    }

    /**
     * The one check of the padding between tiles.
     *
     * @throws AtelierException (field {@code gap}) for a negative gap
     */
    public static void checkGap(int gap) {
        if (gap < 0) {
            throw AtelierException.field("gap", "{gap} must be 0 or more.");
        }
    }

    /**
     * Tiles images into one picture, 8 bits per sample: v ∈ [−1, 1] ↦ round((v + 1)/2 · 255), clamped.
     *
     * @param images n·C·S·S values, NCHW
     * @param n number of images
     * @param channels 1 (gray PNG) or 3 (RGB PNG)
     * @param size S
     * @param gap pixels between tiles
     */
    public static BufferedImage grid(float[] images, int n, int channels, int size, int gap) {
        checkGap(gap);
        int cols = columns(n);
        int rows = rows(n);
        int w = cols * size + (cols - 1) * gap;
        int h = rows * size + (rows - 1) * gap;
        BufferedImage img = new BufferedImage(w, h, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = img.getRaster();
        int plane = size * size;
        for (int i = 0; i < n; i++) {
            int ox = (i % cols) * (size + gap);
            int oy = (i / cols) * (size + gap);
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        raster.setSample(ox + x, oy + y, c, to8bit(images[i * channels * plane + c * plane + y * size + x]));
                    }
                }
            }
        }
        return img;
    }

    /** @return the 8-bit value of a model value in [−1, 1] */
    public static int to8bit(float v) {
        long q = Math.round((v + 1.0) * 0.5 * 255.0);
        return (int) Math.max(0, Math.min(255, q));
    }

    /**
     * Writes {@code img} as PNG with {@code parameters} in a tEXt chunk, atomically (a reader never sees half
     * a file).
     *
     * @param parameters Latin-1 text (Atelier writes ASCII JSON), or null for none
     */
    public static void write(Path file, BufferedImage img, String parameters) {
        checkPngName(file);
        byte[] png = encode(img, parameters);
        try {
            AtomicFiles.write(file, png);
        } catch (IOException e) {
            throw new AtelierException("Cannot write " + file + " (" + AtelierException.reason(e) + "). Check that the folder "
                    + "exists or can be created, is writable, and the disk has space.", e);
        }
    }

    /**
     * Checks, before any work is done, that {@code file} can take a PNG: a name ending in {@code .png} that
     * {@link AtomicFiles#checkTarget} accepts (so {@code x.jpg} never receives PNG bytes).
     *
     * @throws AtelierException saying what to give instead
     */
    public static void checkPngName(Path file) {
        AtomicFiles.checkTarget(file);
        String name = file.getFileName().toString();
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") || name.length() == 4) {
            throw new AtelierException("The output file " + file + " does not end in .png; Atelier writes PNG images "
                    + "only. Give a name ending in .png.");
        }
    }

    /** @return the PNG file's bytes */
    public static byte[] encode(BufferedImage img, String parameters) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
            if (parameters != null) {
                if (!StandardCharsets.ISO_8859_1.newEncoder().canEncode(parameters)) {
                    throw new IllegalArgumentException("PNG tEXt must be Latin-1");
                }
                String format = "javax_imageio_png_1.0";
                IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
                entry.setAttribute("keyword", KEYWORD);
                entry.setAttribute("value", parameters);
                IIOMetadataNode text = new IIOMetadataNode("tEXt");
                text.appendChild(entry);
                IIOMetadataNode root = new IIOMetadataNode(format);
                root.appendChild(text);
                meta.mergeTree(format, root);
            }
            writer.write(null, new IIOImage(img, null, meta), null);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a PNG in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * The settings a PNG written by {@code atelier sample} or {@code edit} (or the studio) was made with.
     *
     * @throws AtelierException if the file is not such a PNG
     */
    public static GenerationRequest readRequest(Path file) {
        String json = readParameters(file);
        if (json == null) {
            throw new AtelierException("The PNG " + file + " carries no Atelier settings (no \"" + KEYWORD + "\" text "
                    + "chunk). Use a PNG written by atelier sample or atelier edit.");
        }
        return GenerationRequest.fromJson(json);
    }

    /**
     * Reads the {@value #KEYWORD} tEXt chunk of a PNG by walking its chunks (no pixel is decoded).
     *
     * @return the text, or null if the PNG has none
     * @throws AtelierException if the file is missing, not a PNG, or damaged
     */
    public static String readParameters(Path file) {
        return inspect(file).parameters();
    }

    /**
     * What the chunk walk of a PNG found.
     *
     * @param parameters the {@value #KEYWORD} tEXt value, or null
     * @param exif the eXIf chunk's TIFF data, or null
     */
    public record Chunks(String parameters, byte[] exif) {
    }

    /**
     * Walks every chunk of a PNG and checks it as the PNG specification asks of a decoder: each chunk's CRC
     * must match, and a critical chunk (upper-case first letter) other than IHDR, PLTE, IDAT and IEND is an
     * error (it changes how the pixels are to be read). Lengths are checked against the file's size before
     * anything is read; chunk data are streamed, never held, except the small chunks kept.
     *
     * @throws AtelierException if the file is missing, not a PNG, cut short or damaged
     */
    public static Chunks inspect(Path file) {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(
                new java.io.BufferedInputStream(raw, 1 << 16))) {
            long left = Files.size(file);
            byte[] sig = new byte[8];
            in.readFully(sig);
            left -= 8;
            if (!Arrays.equals(sig, SIGNATURE)) {
                throw new AtelierException("The file " + file + " is not a PNG, so it carries no Atelier parameters. "
                        + "Use a PNG written by atelier sample or atelier edit.");
            }
            String parameters = null;
            byte[] exif = null;
            byte[] buf = new byte[1 << 16];
            while (true) {
                long length = in.readInt() & 0xffffffffL;
                byte[] type = new byte[4];
                in.readFully(type);
                left -= 8;
                String t = new String(type, StandardCharsets.ISO_8859_1);
                if (length > Integer.MAX_VALUE || length + 4 > left) {
                    throw new IOException("the " + t + " chunk claims " + length + " bytes, more than the file holds");
                }
                if (Character.isUpperCase(type[0]) && !CRITICAL.contains(t)) {
                    throw new AtelierException("The PNG " + file + " has a critical chunk \"" + t + "\" that no PNG "
                            + "decoder knows, so its pixels cannot be read as intended. Save it again as a plain PNG.");
                }
                boolean keep = (t.equals("tEXt") || t.equals("eXIf")) && length <= MAX_TEXT_CHUNK;
                byte[] data = keep ? new byte[(int) length] : null;
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(type);
                if (keep) {
                    in.readFully(data);
                    crc.update(data);
                } else {
                    for (long rest = length; rest > 0; ) {
                        int n = (int) Math.min(buf.length, rest);
                        in.readFully(buf, 0, n);
                        crc.update(buf, 0, n);
                        rest -= n;
                    }
                }
                left -= length + 4;
                if ((in.readInt() & 0xffffffffL) != crc.getValue()) {
                    throw new AtelierException("The PNG " + file + " is damaged: the checksum (CRC) of its " + t
                            + " chunk does not match its content. Copy or export it again.");
                }
                if (t.equals("tEXt") && keep) {
                    int zero = 0;
                    while (zero < data.length && data[zero] != 0) {
                        zero++;
                    }
                    String keyword = new String(data, 0, zero, StandardCharsets.ISO_8859_1);
                    if (keyword.equals(KEYWORD) && zero < data.length && parameters == null) {
                        parameters = new String(data, zero + 1, data.length - zero - 1, StandardCharsets.ISO_8859_1);
                    }
                } else if (t.equals("eXIf") && keep) {
                    exif = data;
                }
                if (t.equals("IEND")) {
                    return new Chunks(parameters, exif);
                }
            }
        } catch (AtelierException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new AtelierException("The file " + file + " does not exist. Check the path.");
        } catch (IOException e) {
            throw new AtelierException("The PNG " + file + " is truncated or damaged (" + (e instanceof EOFException
                    ? "it ends before its IEND chunk" : e.getMessage()) + "). Copy it again.", e);
        }
    }
}
