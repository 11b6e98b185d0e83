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
}
