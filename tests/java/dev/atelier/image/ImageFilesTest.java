package dev.atelier.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading images of every supported kind into model input, and refusing bad files clearly. */
class ImageFilesTest {
    static final Path IMAGES = Path.of("tests/resources/images");
    @TempDir
    Path tmp;

    Path write(BufferedImage img, String format, String name) throws IOException {
        Path p = tmp.resolve(name);
        assertTrue(ImageIO.write(img, format, p.toFile()), "no writer for " + format);
        return p;
    }

    static BufferedImage solid(int w, int h, int type, Color c) {
        BufferedImage img = new BufferedImage(w, h, type);
        var g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    static void assertAll(float[] v, int from, int to, double want, double tol, String what) {
        for (int i = from; i < to; i++) {
            assertEquals(want, v[i], tol, what + " value " + i);
        }
    }

    @Test
    void graySamplesAreTakenAsTheyAreIn8And16Bit() throws IOException {
        BufferedImage g8 = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setSamples(0, 0, 6, 6, 0, filled(36, 128));
        float[] v = ImageFiles.read(write(g8, "png", "g8.png"), 3, 1).pixels();
        assertAll(v, 0, 9, 128 / 255.0 * 2 - 1, 1e-6, "8-bit gray");
        BufferedImage g16 = new BufferedImage(6, 6, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSamples(0, 0, 6, 6, 0, filled(36, 40000));
        v = ImageFiles.read(write(g16, "png", "g16.png"), 3, 3).pixels();
        assertAll(v, 0, 27, 40000 / 65535.0 * 2 - 1, 1e-6, "16-bit gray as RGB");
    }

    @Test
    void sixteenBitRgbIsReadAtFullPrecision() throws IOException {
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT);
        java.awt.image.WritableRaster r = cm.createCompatibleWritableRaster(2, 2);
        for (int i = 0; i < 4; i++) {
            r.setPixel(i % 2, i / 2, new int[] {65535, 0, 1000});
        }
        Path p = write(new BufferedImage(cm, r, false, null), "png", "rgb16.png");
        float[] v = ImageFiles.read(p, 1, 3).pixels();
        assertEquals(1.0, v[0], 1e-6);
        assertEquals(-1.0, v[1], 1e-6);
        assertEquals(1000 / 65535.0 * 2 - 1, v[2], 1e-6, "not rounded to 8 bits");
    }

    @Test
    void rgbBecomesLumaForGrayModelsAndAlphaIsCompositedOnWhite() throws IOException {
        float[] v = ImageFiles.read(write(solid(4, 4, BufferedImage.TYPE_INT_RGB, new Color(255, 0, 0)), "png", "r.png"),
                2, 1).pixels();
        assertAll(v, 0, 4, 0.299 * 2 - 1, 1e-6, "luma of red");
        BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB); // fully transparent black
        v = ImageFiles.read(write(rgba, "png", "t.png"), 2, 3).pixels();
        assertAll(v, 0, 12, 1.0, 1e-6, "transparent on white");
        // gray+alpha PNG (made by make_fixtures.py): top half opaque black, bottom half transparent
        v = ImageFiles.read(IMAGES.resolve("gray-alpha.png"), 4, 1).pixels();
        assertAll(v, 0, 8, -1.0, 1e-6, "opaque black rows");
        assertAll(v, 8, 16, 1.0, 1e-6, "transparent rows");
    }

    @Test
    void cmykJpegIndexedGifBmpAndJpegAreRead() throws IOException {
        float[] v = ImageFiles.read(IMAGES.resolve("red-cmyk.jpg"), 4, 3).pixels();
        assertAll(v, 0, 16, 1.0, 0.1, "CMYK red: R");
        assertAll(v, 16, 48, -1.0, 0.25, "CMYK red: G, B");

        Color c = new Color(30, 200, 90);
        double[] want = {30 / 255.0 * 2 - 1, 200 / 255.0 * 2 - 1, 90 / 255.0 * 2 - 1};
        byte[] r = {0, 30};
        byte[] g = {0, (byte) 200};
        byte[] b = {0, 90};
        BufferedImage indexed = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        indexed.getRaster().setSamples(0, 0, 8, 8, 0, filled(64, 1));
        for (String fmt : new String[] {"png", "gif", "bmp", "jpeg"}) {
            BufferedImage img = fmt.equals("png") || fmt.equals("gif") ? indexed : solid(8, 8, BufferedImage.TYPE_3BYTE_BGR, c);
            v = ImageFiles.read(write(img, fmt, "c." + fmt), 2, 3).pixels();
            double tol = fmt.equals("jpeg") ? 0.05 : 1e-6;
            for (int ch = 0; ch < 3; ch++) {
                assertAll(v, ch * 4, ch * 4 + 4, want[ch], tol, fmt + " channel " + ch);
            }
        }
    }

    @Test
    void jpegExifOrientationIsApplied() {
        ImageFiles.Loaded l = ImageFiles.read(IMAGES.resolve("exif-orientation-6.jpg"), 2, 1);
        assertEquals(10, l.sourceWidth(), "shown upright: 10 wide");
        assertEquals(20, l.sourceHeight());
        assertAll(l.pixels(), 0, 2, -1, 0.1, "top row black");
        assertAll(l.pixels(), 2, 4, 1, 0.1, "bottom row white");
    }

    @Test
    void allEightOrientationsMapPixelsAsExifDefines() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {0, 1, 2, 3, 4, 5});
        int[][] want = {null, {0, 1, 2, 3, 4, 5}, {2, 1, 0, 5, 4, 3}, {5, 4, 3, 2, 1, 0}, {3, 4, 5, 0, 1, 2},
            {0, 3, 1, 4, 2, 5}, {3, 0, 4, 1, 5, 2}, {5, 2, 4, 1, 3, 0}, {2, 5, 1, 4, 0, 3}};
        for (int o = 1; o <= 8; o++) {
            BufferedImage u = ExifOrientation.upright(img, o);
            assertEquals(o >= 5 ? 2 : 3, u.getWidth(), "orientation " + o);
            assertEquals(java.util.Arrays.toString(want[o]), java.util.Arrays.toString(
                    u.getRaster().getSamples(0, 0, u.getWidth(), u.getHeight(), 0, (int[]) null)), "orientation " + o);
        }
    }

    @Test
    void nonSquareImagesAreCenterCroppedAndBoxFiltered() throws IOException {
        BufferedImage img = new BufferedImage(30, 10, BufferedImage.TYPE_INT_RGB);
        var gr = img.createGraphics();
        gr.setColor(Color.RED);
        gr.fillRect(0, 0, 10, 10);
        gr.setColor(Color.GREEN);
        gr.fillRect(10, 0, 10, 10);
        gr.setColor(Color.BLUE);
        gr.fillRect(20, 0, 10, 10);
        gr.dispose();
        ImageFiles.Loaded l = ImageFiles.read(write(img, "png", "wide.png"), 5, 3);
        assertEquals(30, l.sourceWidth());
        assertAll(l.pixels(), 0, 25, -1, 1e-6, "R of the center (green)");
        assertAll(l.pixels(), 25, 50, 1, 1e-6, "G of the center");

        // box filter: each output of a 4×4 → 2×2 reduction is the mean of its 2×2 block
        BufferedImage g = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        int[] vals = {0, 100, 200, 40, 60, 20, 80, 120, 255, 255, 10, 30, 5, 15, 50, 70};
        g.getRaster().setSamples(0, 0, 4, 4, 0, vals);
        float[] v = ImageFiles.read(write(g, "png", "box.png"), 2, 1).pixels();
        double[] means = {(0 + 100 + 60 + 20) / 4.0, (200 + 40 + 80 + 120) / 4.0, (255 + 255 + 5 + 15) / 4.0,
            (10 + 30 + 50 + 70) / 4.0};
        for (int i = 0; i < 4; i++) {
            assertEquals(means[i] / 255 * 2 - 1, v[i], 1e-6);
        }
        // upsampling 2×2 → 4×4 repeats each pixel over a 2×2 block
        BufferedImage small = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        small.getRaster().setSamples(0, 0, 2, 2, 0, new int[] {0, 255, 255, 0});
        v = ImageFiles.read(write(small, "png", "small.png"), 4, 1).pixels();
        assertEquals(-1, v[0], 1e-6);
        assertEquals(-1, v[5], 1e-6);
        assertEquals(1, v[2], 1e-6);
        assertEquals(1, v[13], 1e-6);
    }

    @Test
    void masksAreStretchedToTheImageWithNearestNeighbourAndThresholdedAt128() throws IOException {
        BufferedImage m = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY); // right half 128, left 127
        m.getRaster().setSamples(0, 0, 4, 2, 0, new int[] {127, 127, 128, 128, 127, 127, 128, 128});
        // image 40×20: the mask is stretched to 40×20, then the center 20×20 square is taken (columns 10…29)
        boolean[] r = ImageFiles.readMask(write(m, "png", "m.png"), 40, 20, 4);
        for (int y = 0; y < 4; y++) {
            assertFalse(r[y * 4] || r[y * 4 + 1], "left half kept");
            assertTrue(r[y * 4 + 2] && r[y * 4 + 3], "right half regenerated");
        }
    }

    @Test
    void oversizedHeadersAreRefusedBeforeDecoding() throws IOException {
        // A PNG whose IHDR declares 10000×6000 (60 MP) and that holds no pixel data at all.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeBytes("IHDR");
        h.writeInt(10000);
        h.writeInt(6000);
        h.write(new byte[] {8, 0, 0, 0, 0});
        out.writeInt(13);
        out.write(ihdr.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(ihdr.toByteArray());
        out.writeInt((int) crc.getValue());
        Path big = tmp.resolve("big.png");
        Files.write(big, bytes.toByteArray());
        AtelierException e = assertThrows(AtelierException.class, () -> ImageFiles.read(big, 8, 1));
        assertTrue(e.getMessage().contains("60.0 megapixels"), e.getMessage());
    }

    @Test
    void emptyTruncatedMissingAndNonImageFilesGiveClearErrors() throws IOException {
        Path empty = tmp.resolve("empty.png");
        Files.write(empty, new byte[0]);
        assertTrue(message(empty).contains("empty"));
        Path text = tmp.resolve("notes.png");
        Files.writeString(text, "this is not a picture");
        assertTrue(message(text).contains("not an image"));
        assertTrue(message(tmp.resolve("missing.png")).contains("does not exist"));
        java.util.Random rnd = new java.util.Random(1);
        BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noise.setRGB(x, y, rnd.nextInt());
            }
        }
        for (String fmt : new String[] {"png", "jpeg"}) {
            byte[] full = Files.readAllBytes(write(noise, fmt, "n." + fmt));
            Path cut = tmp.resolve("cut." + fmt);
            Files.write(cut, Arrays.copyOf(full, full.length / 2));
            assertTrue(message(cut).contains("truncated"), fmt + ": " + message(cut));
        }
    }

    static String message(Path p) {
        return assertThrows(AtelierException.class, () -> ImageFiles.read(p, 8, 1)).getMessage();
    }

    static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }
}
