package dev.atelier.consistency.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.AtelierException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files (gzipped or not) and image folders. */
class ImageDataTest {
    static final Path IDX = Path.of("tests/resources/idx");

    @Test
    void readsRawIdxImagesWithGzippedLabels() {
        ImageData d = ImageData.load(IDX.resolve("small-images-idx3-ubyte"), 28, 0, true);
        assertEquals(3, d.count());
        assertEquals(4, d.size());
        assertEquals(1, d.channels());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
        assertEquals(List.of("0", "1"), d.classes());
        // the fixture's pixel (i, r, c) is (7i + 8r + 3c) mod 256
        float[] x = new float[16];
        d.copyTo(1, x, 0);
        assertEquals((7 + 16 + 9) / 127.5f - 1f, x[2 * 4 + 3], 1e-6f);
        d.copyTo(2, x, 0);
        assertEquals((14 + 24 + 6) / 127.5f - 1f, x[3 * 4 + 2], 1e-6f);
    }

    @Test
    void readsADirectoryWithGzippedTrainingImages() {
        ImageData d = ImageData.load(IDX.resolve("tiny"), 28, 0, true);
        assertEquals(24, d.count());
        assertEquals(8, d.size());
        assertEquals(3, d.classes().size());
        assertEquals(2, d.labels()[23]);
    }

    @Test
    void refusesWrongMagicTruncatedAndMissingFiles() {
        assertThrows(AtelierException.class, () -> ImageData.load(IDX.resolve("bad-images-idx3-ubyte"), 28, 0, true));
        assertThrows(AtelierException.class, () -> ImageData.load(IDX.resolve("short-images-idx3-ubyte"), 28, 0, true));
        assertThrows(AtelierException.class, () -> ImageData.load(IDX.resolve("nothing-here"), 28, 0, true));
    }

    @Test
    void imageFolderWithClassSubfoldersGivesLabels(@TempDir Path tmp) throws Exception {
        for (String cls : new String[] {"cats", "dogs"}) {
            Files.createDirectories(tmp.resolve(cls));
            for (int i = 0; i < 2; i++) {
                BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                int gray = cls.equals("cats") ? 0 : 255;
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        img.setRGB(x, y, (gray << 16) | (gray << 8) | gray);
                    }
                }
                ImageIO.write(img, "png", tmp.resolve(cls).resolve(i + ".png").toFile());
            }
        }
        ImageData d = ImageData.load(tmp, 8, 1, true);
        assertEquals(4, d.count());
        assertEquals(8, d.size());
        assertEquals(List.of("cats", "dogs"), d.classes());
        assertArrayEquals(new int[] {0, 0, 1, 1}, d.labels());
        float[] x = new float[64];
        d.copyTo(0, x, 0);
        assertEquals(-1f, x[10], 1e-6f);
        d.copyTo(3, x, 0);
        assertEquals(1f, x[10], 1e-6f);
        ImageData flat = ImageData.load(tmp.resolve("dogs"), 8, 0, true);
        assertNull(flat.labels());
        assertEquals(2, flat.count());
    }
}
