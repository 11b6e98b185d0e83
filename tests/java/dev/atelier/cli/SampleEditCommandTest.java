package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.image.PngImages;
import dev.atelier.base.ModelManifest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** atelier sample / edit end to end on the TorchScript fixtures: exit codes, JSON, PNG and its tEXt. */
class SampleEditCommandTest {
    static final String GRAY = "tests/resources/consistency/good-inside";
    static final String RGB = "tests/resources/consistency/good-outside";
    @TempDir
    Path tmp;

    static JsonNode json(CliTestSupport.Result r) throws IOException {
        assertEquals(0, r.exit(), r.err());
        return ModelManifest.JSON.readTree(r.out());
    }

    @Test
    void sampleWritesTheGridAndAReportAndTheSettingsRoundTrip() throws IOException {
        Path out = tmp.resolve("s.png");
        JsonNode rep = json(CliTestSupport.run("sample", "--model", GRAY, "--count", "5", "--seed", "9", "--out",
                out.toString(), "--json", "--threads", "1"));
        assertEquals("sample", rep.at("/settings/task").asText());
        assertEquals(9, rep.at("/settings/seed").asLong());
        assertEquals(2, rep.at("/settings/steps").asInt(), "manifest default_steps");
        assertEquals("[80.0,0.8]", rep.get("sigmas").toString(), "the manifest's tuned 2-step list");
        assertTrue(rep.get("seconds").isNumber());
        assertEquals(24, rep.get("width").asInt(), "5 tiles of 8 px: 3 columns");
        assertEquals(16, rep.get("height").asInt());
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(24, img.getWidth());
        GenerationRequest back = PngImages.readRequest(out);
        assertEquals(GenerationRequest.JSON.treeToValue(rep.get("settings"), SampleRequest.class), back);

        // the same settings give the same pixels; image 1 of the batch is image 0 of seed 10
        Path again = tmp.resolve("again.png");
        assertEquals(0, CliTestSupport.run("sample", "--model", GRAY, "--count", "5", "--seed", "9", "--out",
                again.toString()).exit());
        assertSamePixels(img, ImageIO.read(again.toFile()), 0, 0, 0, 0, 24, 16, 0);
        Path single = tmp.resolve("one.png");
        assertEquals(0, CliTestSupport.run("sample", "--model", GRAY, "--seed", "10", "--out", single.toString()).exit());
        assertSamePixels(img, ImageIO.read(single.toFile()), 8, 0, 0, 0, 8, 8, 1);
    }

    /** More images than one model call takes run in chunks; image 64 is still seed + 64's image. */
    @Test
    void chunkedBatchesKeepEachImagesSeed() throws IOException {
        Path big = tmp.resolve("big.png");
        assertEquals(0, CliTestSupport.run("sample", "--model", GRAY, "--count", "66", "--seed", "5", "--steps", "1",
                "--out", big.toString()).exit());
        Path one = tmp.resolve("one.png");
        assertEquals(0, CliTestSupport.run("sample", "--model", GRAY, "--seed", "69", "--steps", "1", "--out",
                one.toString()).exit());
        // 66 tiles: 9 columns; image 64 is at column 1, row 7
        assertSamePixels(ImageIO.read(big.toFile()), ImageIO.read(one.toFile()), 8, 56, 0, 0, 8, 8, 1);
    }

    @Test
    void randomSeedIsPrintedAndClassNamesWork() throws IOException {
        CliTestSupport.Result r = CliTestSupport.run("sample", "--model", RGB, "--class", "green", "--count", "2",
                "--steps", "1", "--out", tmp.resolve("c.png").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*seed \\d+.*"), r.out());
        assertTrue(r.err().contains("evaluation 1/1"), "progress on stderr");
        JsonNode rep = json(CliTestSupport.run("sample", "--model", RGB, "--class", "2", "--out",
                tmp.resolve("d.png").toString(), "--json"));
        assertEquals("[2]", rep.get("labels").toString());
    }

    @Test
    void inpaintingKeepsKnownPixelsExactlyThroughThePngs() throws IOException {
        BufferedImage in = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage mask = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                in.setRGB(x, y, (x * 31) << 16 | (y * 29) << 8 | (x * y * 3));
                mask.getRaster().setSample(x, y, 0, y >= 4 ? 255 : 0);
            }
        }
        Path img = tmp.resolve("in.png");
        Path m = tmp.resolve("mask.png");
        ImageIO.write(in, "png", img.toFile());
        ImageIO.write(mask, "png", m.toFile());
        Path out = tmp.resolve("inpaint.png");
        JsonNode rep = json(CliTestSupport.run("edit", "--task", "inpaint", "--model", RGB, "--image", img.toString(),
                "--mask", m.toString(), "--count", "2", "--seed", "1", "--out", out.toString(), "--json"));
        assertEquals(ModelManifest.sha256(m), rep.at("/settings/maskSha256").asText());
        BufferedImage res = ImageIO.read(out.toFile());
        int changed = 0;
        for (int t = 0; t < 2; t++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int got = res.getRGB(t * 8 + x, y) & 0xffffff;
                    int want = in.getRGB(x, y) & 0xffffff;
                    if (y < 4) {
                        assertEquals(want, got, "known pixel " + x + "," + y);
                    } else if (got != want) {
                        changed++;
                    }
                }
            }
        }
        assertTrue(changed > 50, "masked pixels regenerated");
        EditRequest back = (EditRequest) GenerationRequest.fromJson(PngImages.readParameters(out));
        assertEquals("inpaint", back.task());
    }

    @Test
    void everyEditTaskRunsFromTheCommandLine() throws IOException {
        Path img = tmp.resolve("in.png");
        ImageIO.write(new BufferedImage(12, 9, BufferedImage.TYPE_INT_RGB), "png", img.toFile());
        String[][] tasks = {
            {"colorize", "--image", img.toString()},
            {"superres", "--image", img.toString(), "--patch", "2"},
            {"denoise", "--image", img.toString(), "--sigma", "0.3"},
            {"stroke", "--image", img.toString()},
            {"interpolate", "--seed-a", "3", "--seed-b", "4", "--frames", "3"},
        };
        for (String[] t : tasks) {
            String[] args = new String[t.length + 8];
            args[0] = "edit";
            args[1] = "--task";
            System.arraycopy(t, 0, args, 2, t.length);
            int k = t.length + 2;
            args[k++] = "--model";
            args[k++] = RGB;
            args[k++] = "--out";
            args[k++] = tmp.resolve(t[0] + ".png").toString();
            args[k++] = "--json";
            args[k] = "--verbose";
            JsonNode rep = json(CliTestSupport.run(args));
            assertEquals(t[0], rep.at("/settings/task").asText());
        }
        JsonNode stroke = ModelManifest.JSON.readTree(PngImages.readParameters(tmp.resolve("stroke.png")));
        assertEquals("[5.38,2.24]", stroke.get("sigmas").toString());
        JsonNode interp = ModelManifest.JSON.readTree(PngImages.readParameters(tmp.resolve("interpolate.png")));
        assertEquals(3, interp.get("seedA").asLong());
        assertEquals(3, interp.get("count").asInt());
        assertEquals(16, ImageIO.read(tmp.resolve("interpolate.png").toFile()).getWidth(), "3 frames: 2 columns of 8 px");
    }

    @Test
    void badUsageExits2AndBadInputExits1WithoutAStackTrace() {
        String out = tmp.resolve("x.png").toString();
        String[][] usage = {
            {"sample", "--model", GRAY, "--count", "0", "--out", out},
            {"sample", "--model", GRAY},
            {"edit", "--task", "paint", "--model", GRAY, "--image", "a.png", "--out", out},
            {"edit", "--task", "inpaint", "--model", GRAY, "--image", "a.png", "--out", out},
            {"edit", "--task", "stroke", "--model", GRAY, "--image", "a.png", "--steps", "2", "--sigmas", "5,2", "--out", out},
            {"edit", "--task", "denoise", "--model", GRAY, "--image", "a.png", "--out", out},
            {"edit", "--task", "interpolate", "--model", GRAY, "--image", "a.png", "--out", out},
            {"edit", "--task", "colorize", "--model", GRAY, "--image", "a.png", "--mask", "m.png", "--out", out},
            {"edit", "--task", "stroke", "--model", GRAY, "--image", "a.png", "--sigmas", "five", "--out", out},
            {"sample", "--model", GRAY, "--steps", "65", "--out", out},
            {"sample", "--model", GRAY, "--steps", "0", "--out", out},
            {"edit", "--task", "stroke", "--model", GRAY, "--image", "a.png", "--steps", "65", "--out", out},
            {"edit", "--task", "superres", "--model", GRAY, "--image", "a.png", "--patch", "0", "--out", out},
        };
        for (String[] a : usage) {
            assertEquals(2, CliTestSupport.run(a).exit(), String.join(" ", a));
        }
        String[][] input = {
            {"sample", "--model", "tests/resources/consistency/pickle", "--out", out},
            {"sample", "--model", "tests/resources/consistency/checkpoint", "--out", out},
            {"sample", "--model", "tests/resources/consistency/wrong-channels", "--out", out},
            {"sample", "--model", "no/such/model", "--out", out},
            {"sample", "--model", GRAY, "--class", "3", "--out", out},
            {"sample", "--model", RGB, "--class", "purple", "--out", out},
            {"edit", "--task", "colorize", "--model", GRAY, "--image", "tests/resources/images/red-cmyk.jpg", "--out", out},
            {"edit", "--task", "stroke", "--model", GRAY, "--image", "no-such.png", "--out", out},
            {"edit", "--task", "stroke", "--model", GRAY, "--image", "tests/resources/images/red-cmyk.jpg", "--sigmas",
                "2,5", "--out", out},
            {"edit", "--task", "superres", "--model", GRAY, "--image", "tests/resources/images/red-cmyk.jpg", "--patch",
                "3", "--out", out},
        };
        for (String[] a : input) {
            CliTestSupport.Result r = CliTestSupport.run(a);
            assertEquals(1, r.exit(), String.join(" ", a) + "\n" + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertTrue(r.err().startsWith("atelier "), r.err());
        }
        assertFalse(java.nio.file.Files.exists(tmp.resolve("x.png")), "nothing written on failure");
        CliTestSupport.Result verbose = CliTestSupport.run("sample", "--model", "tests/resources/consistency/pickle",
                "--out", out, "--verbose");
        assertTrue(verbose.err().contains("\tat "), "--verbose prints the stack trace");
    }

    @Test
    void benchSampleReportsForwardSamplingAndGemm() throws IOException {
        JsonNode rep = json(CliTestSupport.run("bench", "sample", "--model", RGB, "--repeats", "1", "--batch", "2",
                "--json"));
        assertEquals(3, rep.get("forward").size());
        assertEquals(4, rep.get("sampling").size());
        assertEquals(8, rep.get("sampling").get(3).get("steps").asInt());
        assertTrue(rep.get("gemm_gflops").asDouble() > 0);
        for (JsonNode row : rep.get("sampling")) {
            assertTrue(row.get("ratio_to_own_forwards").asDouble() >= 1.0, "a run cannot take less than its forwards");
        }
    }

    static void assertSamePixels(BufferedImage a, BufferedImage b, int ax, int ay, int bx, int by, int w, int h, int tol) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int pa = a.getRaster().getSample(ax + x, ay + y, 0);
                int pb = b.getRaster().getSample(bx + x, by + y, 0);
                assertTrue(Math.abs(pa - pb) <= tol, "pixel " + x + "," + y + ": " + pa + " vs " + pb);
            }
        }
    }
}
