package dev.atelier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which arguments start the studio and which go to the command line. */
class MainTest {
    @TempDir
    Path dir;

    @Test
    void anExistingImageFileOpensTheStudioWithIt() throws Exception {
        Path png = Files.write(dir.resolve("Photo.PNG"), new byte[] {1});
        assertArrayEquals(new String[] {"--open", png.toAbsolutePath().toString()},
                Main.studioArguments(new String[] {png.toString()}));
    }

    @Test
    void noArgumentsAndSmokeStartTheStudio() {
        assertArrayEquals(new String[0], Main.studioArguments(new String[0]));
        String[] smoke = {"--smoke", "out.png"};
        assertArrayEquals(smoke, Main.studioArguments(smoke));
    }

    @Test
    void subcommandsMissingFilesAndOtherFilesGoToTheCommandLine() throws Exception {
        assertNull(Main.studioArguments(new String[] {"info"}));
        assertNull(Main.studioArguments(new String[] {"--help"}));
        assertNull(Main.studioArguments(new String[] {"--smoke"}), "no file: the command line reports the usage error");
        assertNull(Main.studioArguments(new String[] {dir.resolve("missing.png").toString()}));
        Path text = Files.write(dir.resolve("notes.txt"), new byte[] {1});
        assertNull(Main.studioArguments(new String[] {text.toString()}));
        Path png = Files.write(dir.resolve("a.png"), new byte[] {1});
        assertNull(Main.studioArguments(new String[] {png.toString(), "extra"}));
    }

    /** Issue #16, class 4: `atelier` without a display says so and what to do, instead of a toolkit trace. */
    @Test
    void noDisplayIsToldBeforeTheToolkitStarts() {
        String m = Main.noDisplay("Linux", null, "");
        assertTrue(m.contains("no display") && m.contains("xvfb-run") && m.contains("atelier --help"), m);
        assertNull(Main.noDisplay("Linux", ":0", null));
        assertNull(Main.noDisplay("Linux", null, "wayland-0"));
        assertNull(Main.noDisplay("Windows 11", null, null));
        assertNull(Main.noDisplay("Mac OS X", null, null));
    }
}
