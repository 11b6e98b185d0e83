package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue #16, "done when": hostile command lines fail with a message (exit ≠ 0, no stack trace without
 * --verbose) and never write anything but the file they were told to write. Every target is made here, in a
 * temporary folder: a FIFO of our own, a symlink, a read-only file, a folder — never a system file.
 */
class HostileCliTest {
    static final String RGB = "tests/resources/consistency/good-outside";
    static final String BIGRAM = "tests/resources/text/toy-bigram.json";
    static final Path HOSTILE = Path.of("tests/resources/hostile");
    @TempDir
    Path tmp;

    static void assertRefusedWithoutTrace(CliTestSupport.Result r, String... args) {
        String what = String.join(" ", args);
        assertNotEquals(0, r.exit(), what + " must fail: " + r.out());
        assertFalse(r.err().contains("\tat "), what + " printed a stack trace:\n" + r.err());
        assertFalse(r.err().matches("(?s).*\\b[A-Z][A-Za-z]*(Exception|Error)\\b.*"),
                what + " named an exception class:\n" + r.err());
        assertFalse(r.err().isBlank(), what + " gave no message");
    }

    static CliTestSupport.Result refused(String... args) {
        CliTestSupport.Result r = CliTestSupport.run(args);
        assertRefusedWithoutTrace(r, args);
        return r;
    }

    static BasicFileAttributes attrs(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void outputsThatAreNotRegularFilesAreRefusedAndLeftAsTheyWere() throws Exception {
        Path fifo = tmp.resolve("fifo.png");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor() == 0, "mkfifo available");
        Path real = Files.write(tmp.resolve("real.png"), new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(tmp.resolve("link.png"), real);
        Path folder = Files.createDirectory(tmp.resolve("folder.png"));
        Path readOnly = Files.write(tmp.resolve("ro.png"), new byte[] {4});
        assumeTrue(readOnly.toFile().setWritable(false, false));
        List<Path> before;
        try (var s = Files.list(tmp)) {
            before = new ArrayList<>(s.sorted().toList());
        }
        for (Path target : List.of(fifo, link, folder, readOnly)) {
            refused("sample", "--model", RGB, "--seed", "1", "--out", target.toString(), "--threads", "1");
            refused("edit", "--task", "denoise", "--model", RGB, "--image", HOSTILE.resolve("png-plain.png").toString(),
                    "--sigma", "0.5", "--out", target.toString(), "--threads", "1");
        }
        assertTrue(attrs(fifo).isOther(), "still a FIFO");
        assertTrue(attrs(link).isSymbolicLink(), "still a link");
        assertEquals(3, Files.size(real), "the link's target untouched");
        assertTrue(attrs(folder).isDirectory());
        assertEquals(1, Files.size(readOnly));
        try (var s = Files.list(tmp)) {
            assertEquals(before, s.sorted().toList(), "nothing written next to them");
        }
    }

    @Test
    void emptyAndNonPngOutputNamesAreRefused() throws IOException {
        assertTrue(refused("sample", "--model", RGB, "--out", "", "--threads", "1").err().contains("empty"));
        Path jpg = tmp.resolve("x.jpg");
        assertTrue(refused("sample", "--model", RGB, "--out", jpg.toString(), "--threads", "1").err()
                .contains("does not end in .png"));
        assertFalse(Files.exists(jpg));
    }

    @Test
    void threadCountsOutOfRangeSayWhatIsWrong() {
        for (String t : new String[] {"-3", "1025", "100000"}) { // 0 means all cores
            String err = refused("sample", "--model", RGB, "--out", tmp.resolve("t.png").toString(), "--threads", t)
                    .err();
            assertTrue(err.contains("--threads " + t + " is out of range"), err);
            assertFalse(err.contains("disk"), "not blamed on the disk: " + err);
        }
    }

    @Test
    void hostileInputFilesGiveMessages() {
        for (String f : new String[] {"png-bad-crc.png", "png-unknown-critical.png", "float32-nan.tif",
                "png-huge-chunk-length.png"}) {
            refused("edit", "--task", "denoise", "--model", RGB, "--image", HOSTILE.resolve(f).toString(), "--sigma",
                    "0.5", "--out", tmp.resolve("o.png").toString(), "--threads", "1");
        }
        for (String f : new String[] {"constraints-duplicate-key.json", "constraints-two-documents.json",
                "constraints-not-utf8.json"}) {
            refused("text", "--model", BIGRAM, "--constraints", HOSTILE.resolve(f).toString(), "--threads", "1");
        }
        assertEquals(0, CliTestSupport.run("text", "--model", BIGRAM, "--constraints",
                HOSTILE.resolve("constraints-bom.json").toString(), "--threads", "1").exit(), "a BOM is fine");
    }

    @Test
    void anErrorReachesTheUserAsAMessage() {
        for (Error e : new Error[] {new OutOfMemoryError("Java heap space"), new StackOverflowError()}) {
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine boom = new CommandLine(new Boom(e));
            CommandLine top = AtelierCommand.commandLine();
            top.addSubcommand("boom", boom);
            top.setErr(new java.io.PrintWriter(err, true));
            boom.setErr(new java.io.PrintWriter(err, true));
            int code = top.execute("boom");
            assertEquals(1, code);
            assertFalse(err.toString().contains("\tat "), err.toString());
            assertFalse(err.toString().isBlank());
        }
    }

    /** A subcommand that throws an Error, as a job running out of memory would. */
    @CommandLine.Command(name = "boom")
    static final class Boom implements Runnable {
        final Error error;

        Boom(Error error) {
            this.error = error;
        }

        @Override
        public void run() {
            throw error;
        }
    }

    @Test
    void trainingOptionsAreRangeCheckedBeforeAnyDataLoads() {
        String missing = tmp.resolve("no-such-data").toString();
        String out = tmp.resolve("model").toString();
        String[][] cm = {{"--steps", "0"}, {"--batch", "0"}, {"--batch", "-4"}, {"--lr", "NaN"}, {"--lr", "-1e-4"},
            {"--ema", "1.5"}, {"--s0", "0"}, {"--size", "100000"}, {"--blocks", "1000000"},
            {"--unet", "8-16-32-64-128-256-512-1024-2048-4096"}, {"--metric", "lpips"}, {"--checkpoint-minutes", "0"}};
        for (String[] o : cm) {
            CliTestSupport.Result r = refused("train-cm", "--data", missing, "--out", out, "--steps", "5", o[0], o[1],
                    "--threads", "1");
            assertEquals(2, r.exit(), String.join(" ", o) + " is a usage error: " + r.err());
            assertFalse(r.err().contains("no-such-data"), "refused before the data is looked at: " + r.err());
        }
        String[][] lm = {{"--batch", "0"}, {"--lr", "NaN"}, {"--warmup", "-1"}, {"--dropout", "1"}, {"--heads", "5"},
            {"--context", "0"}, {"--steps", "0"}, {"--vocab", "10"}};
        for (String[] o : lm) {
            CliTestSupport.Result r = refused("train-lm", "--corpus", missing, "--out", out, o[0], o[1], "--threads", "1");
            assertEquals(2, r.exit(), String.join(" ", o) + ": " + r.err());
            assertTrue(r.err().contains(o[0]), r.err());
            assertFalse(r.err().contains("diverged") || r.err().contains("no-such-data"), r.err());
        }
        CliTestSupport.Result stride = refused("eval-lm", "--corpus", missing, "--stride", "0", "--threads", "1");
        assertEquals(2, stride.exit());
        assertTrue(stride.err().contains("--stride 0"), stride.err());
    }

    @Test
    void resumingFromAWeightsFileSaysSo() {
        String weights = "assets/models/fashion-mnist/weights.ckpt";
        CliTestSupport.Result r = refused("train-cm", "--data", tmp.resolve("none").toString(), "--out",
                tmp.resolve("m").toString(), "--steps", "5", "--resume", "--checkpoint", weights, "--threads", "1");
        assertTrue(r.err().contains("not a training checkpoint"), r.err());
    }

    @Test
    void aUsageErrorIsOneLineAndWhereTheHelpIs() {
        String[][] cases = {{"sample", "--steps", "0", "--out", "x.png"}, {"sample", "--no-such-flag"},
            {"edit", "--task", "paint", "--out", "x.png"}, {"no-such-command"}, {"text", "--model"}};
        for (String[] a : cases) {
            CliTestSupport.Result r = CliTestSupport.run(a);
            assertEquals(2, r.exit(), String.join(" ", a));
            String[] lines = r.err().strip().split("\\R");
            assertTrue(lines.length <= 3, "a message, perhaps a suggestion, and the help pointer:\n" + r.err());
            String cmd = a[0].startsWith("no-such") ? "atelier" : "atelier " + a[0];
            assertEquals("See `" + cmd + " --help`.", lines[lines.length - 1], r.err());
            assertFalse(r.err().contains("Usage:"), "no usage dump:\n" + r.err());
        }
    }

    @Test
    void randomHostileCommandLinesNeverPrintATraceOrExitOddly() throws IOException {
        // property: any mix of odd values on the image and text commands ends in exit 0, 1 or 2, with a message
        // and no stack trace; whatever exits 0 wrote only its --out file
        java.util.Random r = new java.util.Random(16);
        Path out = tmp.resolve("fuzz.png");
        String[] numbers = {"0", "-1", "1", "3", "65", "1025", "99999999999", "NaN", "-Infinity", "1e308", "", "x"};
        String[] files = {HOSTILE.resolve("png-bad-crc.png").toString(), HOSTILE.resolve("float32-gray.tif").toString(),
            HOSTILE.resolve("mask-white-strokes-on-transparent.png").toString(), tmp.toString(), "",
            HOSTILE.resolve("png-plain.png").toString(), "no/such/file.png"};
        String[] imageFlags = {"--steps", "--count", "--seed", "--class", "--gap", "--sigma", "--patch", "--frames",
            "--seed-a"};
        String[] textFlags = {"--beams", "--max-new-tokens", "--max-length", "--min-length", "--length-penalty",
            "--no-repeat-ngram", "--num-return"};
        String[] tasks = {"inpaint", "colorize", "superres", "denoise", "stroke", "interpolate", "paint"};
        for (int trial = 0; trial < 40; trial++) {
            List<String> a = new ArrayList<>();
            if (r.nextBoolean()) {
                a.addAll(List.of(r.nextBoolean() ? "sample" : "edit", "--model", RGB, "--out", out.toString()));
                if (a.get(0).equals("edit")) {
                    a.addAll(List.of("--task", tasks[r.nextInt(tasks.length)], "--image", files[r.nextInt(files.length)]));
                    if (r.nextBoolean()) {
                        a.addAll(List.of("--mask", files[r.nextInt(files.length)]));
                    }
                }
                for (int k = r.nextInt(3); k > 0; k--) {
                    a.addAll(List.of(imageFlags[r.nextInt(imageFlags.length)], numbers[r.nextInt(numbers.length)]));
                }
            } else {
                a.addAll(List.of("text", "--model", BIGRAM, "--prompt", r.nextBoolean() ? "The" : "",
                        r.nextBoolean() ? "--phrase" : "--template", r.nextBoolean() ? "dog" : "_99999999999 is"));
                for (int k = r.nextInt(3); k > 0; k--) {
                    a.addAll(List.of(textFlags[r.nextInt(textFlags.length)], numbers[r.nextInt(numbers.length)]));
                }
            }
            a.addAll(List.of("--threads", "1"));
            Files.deleteIfExists(out);
            CliTestSupport.Result res = CliTestSupport.run(a.toArray(new String[0]));
            String what = String.join(" ", a);
            assertTrue(res.exit() >= 0 && res.exit() <= 2, what + " exited " + res.exit());
            assertFalse(res.err().contains("\tat "), what + " printed a stack trace:\n" + res.err());
            if (res.exit() != 0) {
                assertFalse(res.err().isBlank(), what + " failed silently");
                assertFalse(Files.exists(out), what + " failed but wrote its output");
            }
            try (var s = Files.list(tmp)) {
                assertTrue(s.allMatch(p -> p.equals(out)), what + " wrote something else");
            }
        }
    }
}
