package dev.atelier.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.ui.common.Settings;
import dev.atelier.ui.common.SettingsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {
    @Test
    void roundTripsEveryField(@TempDir Path dir) throws IOException {
        SettingsStore store = new SettingsStore(dir.resolve("cfg/settings.json"));
        Settings s = new Settings();
        s.theme = "dark";
        s.panel = 2;
        s.x = 10;
        s.y = 20;
        s.width = 900;
        s.height = 700;
        s.device = "cpu";
        s.threads = 1;
        store.save(s);
        Settings back = store.load();
        assertNull(store.warning());
        assertEquals("dark", back.theme);
        assertEquals(2, back.panel);
        assertEquals(10, back.x);
        assertEquals(20, back.y);
        assertEquals(900, back.width);
        assertEquals(700, back.height);
        assertEquals("cpu", back.device);
        assertEquals(1, back.threads);
    }

    @Test
    void aCorruptFileIsMovedAsideWithAWarningAndDefaultsAreUsed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\": \"dark\", \"panel\": ");
        SettingsStore store = new SettingsStore(file);
        Settings s = store.load();
        assertEquals("light", s.theme);
        assertEquals(0, s.panel);
        assertNotNull(store.warning());
        assertTrue(store.warning().contains("moved to settings.json.corrupt-"), store.warning());
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
        assertEquals(1, names.size());
        assertTrue(names.get(0).startsWith("settings.json.corrupt-"));
        assertEquals("{\"theme\": \"dark\", \"panel\": ", Files.readString(dir.resolve(names.get(0))));
    }

    @Test
    void aFileHoldingTheWrongJsonTypeIsTreatedAsCorrupt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "[1, 2, 3]");
        SettingsStore store = new SettingsStore(file);
        assertEquals("light", store.load().theme);
        assertNotNull(store.warning());
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingOnesDefaulted(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\":\"dark\",\"fromTheFuture\":42}");
        SettingsStore store = new SettingsStore(file);
        Settings s = store.load();
        assertNull(store.warning());
        assertEquals("dark", s.theme);
        assertEquals("auto", s.device);
    }

    // ---- issue #16, class 7: settings that would break the window or the engine ----

    @Test
    void outOfRangeValuesAreCorrectedWithAWarningNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\":\"neon\",\"width\":1e9,\"height\":\"NaN\",\"x\":\"Infinity\","
                + "\"device\":\"tpu\",\"threads\":1025}");
        SettingsStore store = new SettingsStore(file);
        Settings s = store.load();
        Settings d = new Settings();
        assertEquals("light", s.theme);
        assertEquals("auto", s.device, "an unknown device falls back to auto, so the engine starts");
        assertEquals(0, s.threads);
        assertEquals(d.width, s.width);
        assertEquals(d.height, s.height);
        assertTrue(Double.isNaN(s.x));
        assertNotNull(store.warning());
        assertTrue(store.warning().contains(file.toString()), "names the settings file: " + store.warning());
        assertTrue(store.warning().contains("device \"tpu\""), store.warning());
        assertTrue(Files.exists(file), "a readable file with odd values is not moved aside");
    }

    @Test
    void anyNumbersLoadIntoRange(@TempDir Path dir) throws IOException {
        // property: whatever numbers the file holds, the loaded settings are usable
        java.util.Random r = new java.util.Random(16);
        String[] odd = {"-1", "0", "1e308", "-1e308", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "3", "700",
                "2147483647", "-2147483648"};
        Path file = dir.resolve("settings.json");
        for (int trial = 0; trial < 200; trial++) {
            String json = "{\"width\":" + odd[r.nextInt(odd.length)] + ",\"height\":" + odd[r.nextInt(odd.length)]
                    + ",\"x\":" + odd[r.nextInt(odd.length)] + ",\"y\":" + odd[r.nextInt(odd.length)]
                    + ",\"threads\":" + odd[r.nextInt(odd.length)].replace("\"", "").replaceAll("[^0-9-]", "0") + "}";
            Files.writeString(file, json);
            Settings s = new SettingsStore(file).load();
            assertTrue(s.width > 0 && s.width < 1e5 && s.height > 0 && s.height < 1e5, json);
            assertTrue(Double.isNaN(s.x) || Math.abs(s.x) <= 1e5, json);
            assertTrue(s.threads >= 0 && s.threads <= dev.atelier.Limits.maxThreads(), json);
        }
    }

    @Test
    void anUnreadableFileIsLeftInPlaceAndNotWrittenOver(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("settings.json"));
        SettingsStore store = new SettingsStore(folder);
        assertEquals("light", store.load().theme);
        assertTrue(store.warning().contains("left as it is"), store.warning());
        store.save(new Settings());
        assertTrue(Files.isDirectory(folder), "still there, untouched");
        Path fifo = dir.resolve("fifo.json");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0);
        SettingsStore viaFifo = new SettingsStore(fifo);
        viaFifo.load(); // must not block on opening the FIFO
        assertTrue(viaFifo.warning().contains("not a regular file"), viaFifo.warning());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "nothing moved aside or created");
        }
    }
}
