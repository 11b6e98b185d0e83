package dev.atelier.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.base.AppDirs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The jpackage resources under installer/: icons that decode at the sizes their containers declare,
 * argument files whose paths exist and whose launcher options match what the code expands, the desktop
 * entry, the per-OS settings and the licence texts the About box shows.
 */
class InstallerResourcesTest {
    private static final Path INSTALLER = Path.of("installer");

    @Test
    void icoHoldsSevenPngImagesOfTheDeclaredSizes() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(INSTALLER.resolve("icons/atelier.ico"))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, b.getShort(0));
        assertEquals(1, b.getShort(2), "type 1 = icon");
        int count = b.getShort(4);
        assertEquals(7, count);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int e = 6 + 16 * i;
            int w = Byte.toUnsignedInt(b.get(e)) == 0 ? 256 : Byte.toUnsignedInt(b.get(e));
            int length = b.getInt(e + 8);
            int offset = b.getInt(e + 12);
            assertTrue(offset + length <= b.capacity(), "entry " + i + " inside the file");
            BufferedImage img = decode(b.array(), offset, length);
            assertEquals(w, img.getWidth());
            assertEquals(w, img.getHeight());
            sizes.add(w);
        }
        assertEquals(List.of(16, 24, 32, 48, 64, 128, 256), sizes);
    }

    @Test
    void icnsEntriesArePngsOfTheirTypesSize() throws IOException {
        byte[] bytes = Files.readAllBytes(INSTALLER.resolve("icons/atelier.icns"));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals("icns", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(bytes.length, b.getInt(4));
        Map<String, Integer> expected = Map.ofEntries(Map.entry("icp4", 16), Map.entry("icp5", 32),
                Map.entry("icp6", 64), Map.entry("ic07", 128), Map.entry("ic08", 256), Map.entry("ic09", 512),
                Map.entry("ic10", 1024), Map.entry("ic11", 32), Map.entry("ic12", 64), Map.entry("ic13", 256),
                Map.entry("ic14", 512));
        int at = 8;
        int seen = 0;
        while (at < bytes.length) {
            String type = new String(bytes, at, 4, StandardCharsets.US_ASCII);
            int length = b.getInt(at + 4);
            BufferedImage img = decode(bytes, at + 8, length - 8);
            assertEquals(expected.get(type), img.getWidth(), type);
            at += length;
            seen++;
        }
        assertEquals(bytes.length, at);
        assertEquals(expected.size(), seen);
    }

    @Test
    void theLinuxIconIsARoundedTileWithAPicture() throws IOException {
        BufferedImage img = ImageIO.read(INSTALLER.resolve("icons/atelier.png").toFile());
        assertEquals(512, img.getWidth());
        assertEquals(0, img.getRGB(0, 0) >>> 24, "corner outside the rounded tile is transparent");
        assertEquals(255, img.getRGB(256, 256) >>> 24, "centre is opaque");
        assertTrue(img.getRGB(140, 140) != img.getRGB(380, 160), "the canvas is not one colour");
    }

    @Test
    void launcherOptionsAreOfflineWithTheCacheTokenTheCodeExpandsAndAHeapLimit() throws IOException {
        String common = Files.readString(INSTALLER.resolve("common/jpackage.args"));
        assertTrue(common.contains("--java-options -Dai.djl.offline=true"));
        assertTrue(common.contains("--java-options -D" + AppDirs.DJL_CACHE_PROPERTY + "=" + AppDirs.USER_DATA_TOKEN + "/"));
        Matcher xmx = Pattern.compile("--java-options -Xmx(\\d+)g").matcher(common);
        assertTrue(xmx.find(), "a heap limit");
        int gb = Integer.parseInt(xmx.group(1));
        assertTrue(gb >= 1 && gb <= 4, "a heap that fits a laptop: " + gb + " GB");
        assertTrue(common.contains("--main-class dev.atelier.Main"));
    }

    @Test
    void everyPathTheArgumentFilesNameExists() throws IOException {
        Pattern path = Pattern.compile("(installer/[\\w./-]+)");
        for (String f : List.of("common/jpackage.args", "linux/package.args", "windows/package.args",
                "macos/package.args")) {
            Matcher m = path.matcher(Files.readString(INSTALLER.resolve(f)));
            while (m.find()) {
                assertTrue(Files.exists(Path.of(m.group(1))), f + " names " + m.group(1));
            }
        }
    }

    @Test
    void desktopEntryOpensPngsInAtelierFromTheGraphicsMenu() throws IOException {
        List<String> lines = Files.readAllLines(INSTALLER.resolve("linux/resources/Atelier.desktop"));
        assertTrue(lines.contains("Exec=APPLICATION_LAUNCHER %f"), "the file is passed to the launcher");
        assertTrue(lines.contains("MimeType=image/png;"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Categories=Graphics;")));
        String linux = Files.readString(INSTALLER.resolve("linux/package.args"));
        assertTrue(linux.contains("--linux-package-deps libgtk-3-0"));
        assertTrue(linux.contains("--linux-menu-group Graphics"));
        assertTrue(Files.readString(INSTALLER.resolve("linux/png.properties")).contains("mime-type=image/png"));
    }

    @Test
    void windowsAndMacSettings() throws IOException {
        String win = Files.readString(INSTALLER.resolve("windows/package.args"));
        Matcher uuid = Pattern.compile("--win-upgrade-uuid (\\S+)").matcher(win);
        assertTrue(uuid.find());
        assertEquals(uuid.group(1), UUID.fromString(uuid.group(1)).toString());
        assertTrue(win.contains("--win-per-user-install"));
        assertTrue(win.contains("--win-menu"));
        String mac = Files.readString(INSTALLER.resolve("macos/package.args"));
        assertTrue(mac.contains("--mac-package-identifier dev.atelier."));
        assertTrue(mac.contains("--file-associations installer/macos/png.properties"));
    }

    @Test
    void licenceTextsAreOnTheClassPathAndNameTheDataAndLibraries() throws IOException {
        String app = resource("LICENSE.txt");
        String data = resource("DATA-LICENSES.txt");
        String third = resource("THIRD-PARTY.txt");
        assertTrue(app.contains("Apache License"));
        assertTrue(data.contains("Fashion-MNIST") && data.contains("Zalando") && data.contains("Brown Corpus"));
        for (String lib : List.of("PyTorch", "Deep Java Library", "OpenJFX", "ControlsFX", "picocli", "Jackson",
                "TwelveMonkeys", "SLF4J", "libgomp", "Classpath Exception")) {
            assertTrue(third.contains(lib), "THIRD-PARTY.txt names " + lib);
        }
    }

    private static String resource(String name) throws IOException {
        try (var in = InstallerResourcesTest.class.getResourceAsStream("/dev/atelier/licences/" + name)) {
            assertNotNull(in, name + " on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static BufferedImage decode(byte[] bytes, int offset, int length) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes, offset, length));
        assertNotNull(img, "a PNG at offset " + offset);
        return img;
    }
}
