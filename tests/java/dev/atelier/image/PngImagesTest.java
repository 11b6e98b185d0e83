package dev.atelier.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngImagesTest {
    @TempDir
    Path tmp;

    @Test
    void gridsAreNearSquareRowMajorEdgeToEdge() throws IOException {
        int[][] shapes = {{1, 1, 1}, {2, 2, 1}, {3, 2, 2}, {4, 2, 2}, {5, 3, 2}, {9, 3, 3}, {10, 4, 3}, {64, 8, 8}};
        for (int[] s : shapes) {
            assertEquals(s[1], PngImages.columns(s[0]), "columns of " + s[0]);
            assertEquals(s[2], PngImages.rows(s[0]), "rows of " + s[0]);
        }
        // five 2×2 gray tiles with values −1, −0.5, 0, 0.5, 1
        float[] img = new float[5 * 4];
        for (int i = 0; i < 5; i++) {
            java.util.Arrays.fill(img, i * 4, i * 4 + 4, -1f + 0.5f * i);
        }
        Path out = tmp.resolve("sub/grid.png");
        PngImages.write(out, PngImages.grid(img, 5, 1, 2, 0), null);
        BufferedImage g = ImageIO.read(out.toFile());
        assertEquals(6, g.getWidth());
        assertEquals(4, g.getHeight());
        int[] want = {0, 64, 128, 191, 255};
        for (int i = 0; i < 5; i++) {
            assertEquals(want[i], g.getRaster().getSample((i % 3) * 2 + 1, (i / 3) * 2 + 1, 0), "tile " + i);
        }
        assertEquals(0, g.getRaster().getSample(5, 3, 0), "the empty cell is black");
        BufferedImage gapped = PngImages.grid(img, 5, 1, 2, 1);
        assertEquals(8, gapped.getWidth());
        assertEquals(5, gapped.getHeight());
        assertEquals(255, gapped.getRaster().getSample(3, 3, 0), "tile 4 starts after a 1-pixel gap");
        assertEquals(0, gapped.getRaster().getSample(2, 0, 0), "gap column");
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void rgbTilesKeepTheirChannels() throws IOException {
        float[] img = {1f, -1f, -1f}; // one 1×1 RGB tile: red
        Path out = tmp.resolve("rgb.png");
        PngImages.write(out, PngImages.grid(img, 1, 3, 1, 0), "{}");
        assertEquals(0xffff0000, ImageIO.read(out.toFile()).getRGB(0, 0));
    }

    @Test
    void parametersRoundTripInAnUncompressedTextChunk() throws IOException {
        String json = "{\"task\":\"sample\",\"seed\":7,\"sigmas\":[80.0,0.8],\"model\":\"mod\\u00e8le\"}";
        Path out = tmp.resolve("p.png");
        PngImages.write(out, PngImages.grid(new float[4], 1, 1, 2, 0), json);
        assertEquals(json, PngImages.readParameters(out));
        String raw = new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1);
        assertTrue(raw.contains("tEXtatelier\0" + json), "a plain tEXt chunk with keyword atelier");
        Path plain = tmp.resolve("plain.png");
        PngImages.write(plain, PngImages.grid(new float[4], 1, 1, 2, 0), null);
        assertNull(PngImages.readParameters(plain));
        assertThrows(AtelierException.class, () -> PngImages.readRequest(plain));
        Path text = tmp.resolve("x.png");
        Files.writeString(text, "hello");
        assertThrows(AtelierException.class, () -> PngImages.readParameters(text));
        // A damaged chunk that declares ~2 GB of text: a clear error, not an OutOfMemoryError.
        byte[] head = Arrays.copyOf(Files.readAllBytes(plain), 33); // signature + IHDR
        byte[] bomb = Arrays.copyOf(head, head.length + 8 + 16);
        java.nio.ByteBuffer.wrap(bomb, head.length, 8).putInt(0x7FFFFFF0).put("tEXt".getBytes(StandardCharsets.US_ASCII));
        Path damaged = tmp.resolve("damaged.png");
        Files.write(damaged, bomb);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        AtelierException e = assertThrows(AtelierException.class, () -> PngImages.readParameters(damaged));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
        assertTrue(allocated < 64 << 20, "the declared length was not allocated: " + allocated + " bytes");
    }

    @Test
    void quantisationMapsTheRangeEnds() {
        assertEquals(0, PngImages.to8bit(-1f));
        assertEquals(255, PngImages.to8bit(1f));
        assertEquals(128, PngImages.to8bit(0f));
        assertEquals(0, PngImages.to8bit(-3f));
        assertEquals(255, PngImages.to8bit(7f));
    }
}
