package dev.atelier.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16: images that must be refused (damaged or unknown PNG chunks, NaN samples) or read right (PNG eXIf
 * orientation, 32-bit float TIFF, masks painted on a transparent layer). The files are made by
 * tests/resources/hostile/make_hostile.py.
 */
class HostileImagesTest {
    static final Path HOSTILE = Path.of("tests/resources/hostile");

    @Test
    void aPngWithAWrongChunkCrcIsRefused() {
        AtelierException e = assertThrows(AtelierException.class,
                () -> ImageFiles.decode(HOSTILE.resolve("png-bad-crc.png")));
        assertTrue(e.getMessage().contains("checksum (CRC) of its IDAT chunk"), e.getMessage());
    }

    @Test
    void aPngWithAnUnknownCriticalChunkIsRefused() {
        AtelierException e = assertThrows(AtelierException.class,
                () -> ImageFiles.decode(HOSTILE.resolve("png-unknown-critical.png")));
        assertTrue(e.getMessage().contains("critical chunk \"CrIt\""), e.getMessage());
    }

    @Test
    void aChunkLengthBeyondTheFileIsRefusedWithoutAllocatingIt() {
        AtelierException e = assertThrows(AtelierException.class,
                () -> PngImages.inspect(HOSTILE.resolve("png-huge-chunk-length.png")));
        assertTrue(e.getMessage().contains("more than the file holds"), e.getMessage());
    }

    @Test
    void everySingleByteChangeAfterTheSignatureIsCaught(@TempDir Path tmp) throws IOException {
        // property: the CRCs and lengths cover every byte of a PNG after its signature, so any one changed byte
        // is refused with a message (never decoded as if fine, never another exception)
        byte[] good = Files.readAllBytes(HOSTILE.resolve("png-plain.png"));
        assertEquals(4, ImageFiles.decode(HOSTILE.resolve("png-plain.png")).getWidth());
        Path bad = tmp.resolve("bad.png");
        for (int at = 8; at < good.length; at++) {
            for (int flip : new int[] {0x01, 0x80, 0xff}) {
                byte[] b = good.clone();
                b[at] ^= (byte) flip;
                Files.write(bad, b);
                int where = at;
                assertThrows(AtelierException.class, () -> ImageFiles.decode(bad), "byte " + where + " ^ " + flip);
            }
        }
    }

    @Test
    void pngExifOrientationIsHonouredLikeJpegs() {
        BufferedImage img = ImageFiles.decode(HOSTILE.resolve("png-exif-orientation-6.png"));
        // stored 2 wide × 3 tall with a white top-left pixel; orientation 6 = turn 90° clockwise to show it
        assertEquals(3, img.getWidth());
        assertEquals(2, img.getHeight());
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(x == 2 && y == 0 ? 255 : 0, img.getRaster().getSample(x, y, 0), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void float32TiffSamplesAreReadNotBlack() {
        float[] v = ImageFiles.read(HOSTILE.resolve("float32-gray.tif"), 2, 1).pixels();
        // samples 0.25, 0.5, 0.75, 1.0 in [0, 1] ↦ 2v − 1
        assertArrayEquals(new float[] {-0.5f, 0f, 0.5f, 1f}, v, 1e-6f);
    }

    @Test
    void aNanFloatSampleIsRefused() {
        AtelierException e = assertThrows(AtelierException.class,
                () -> ImageFiles.read(HOSTILE.resolve("float32-nan.tif"), 2, 1));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void whiteStrokesOnATransparentLayerRegenerateOnlyTheStrokes() {
        boolean[] m = ImageFiles.readMask(HOSTILE.resolve("mask-white-strokes-on-transparent.png"), 4, 4, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(x == 0, m[y * 4 + x], "pixel " + x + "," + y + ": only the opaque white column");
            }
        }
    }
}
