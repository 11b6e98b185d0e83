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
        // an array instead of an object; a format version that is not a whole number
        for (String json : new String[] {"[1, 2, 3]", "{\"version\":\"two\",\"theme\":\"dark\"}"}) {
            Path file = dir.resolve("settings.json");
            Files.writeString(file, json);
            SettingsStore store = new SettingsStore(file);
            assertEquals("light", store.load().theme);
            assertNotNull(store.warning());
            assertTrue(store.warning().contains("moved to settings.json.corrupt-"), store.warning());
            assertTrue(json.startsWith("[") || store.warning().contains("version"), store.warning());
        }
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

    // ---- the settings format version: files of older studios get the defaults changed since ----

    /** A settings file as the studio wrote it before the format was versioned (its defaults of the time). */
    private static final String OLD_FILE = """
            {
              "theme" : "dark", "panel" : 2, "x" : 40.0, "y" : 30.0, "width" : 1100.0, "height" : 720.0,
              "maximized" : false, "device" : "cpu", "threads" : 1,
              "sampling" : { "model" : null, "steps" : 5, "randomSeed" : false, "seed" : 123456789012,
                             "count" : 9, "classChoice" : "Sneaker", "compare" : true },
              "text" : { "model" : "brown-lm", "recentModels" : [ ], "prompts" : "The child\\nThe soldiers",
                         "chips" : null, "beams" : 7, "maxNewTokens" : 21, "lengthPenalty" : 1.5,
                         "earlyStopping" : "never", "noRepeatNgram" : 0, "numReturn" : 2, "mode" : "strict",
                         "lookaheadOn" : false, "lookahead" : 1, "lookaheadWeight" : 2.5, "tokenHealing" : true },
              "inpaint" : { "model" : null, "task" : "denoise", "steps" : 3, "seedMode" : "fixed", "seed" : 99,
                            "brush" : 5.5, "overlay" : 0.3, "sigma" : 0.7, "patch" : 2, "count" : 6,
                            "strokeColour" : 8421504 }
            }
            """;

    @Test
    void anUnversionedFileGetsTheChangedDefaultsKeepsEveryOtherChoiceAndIsSavedVersioned(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, OLD_FILE);
        SettingsStore store = new SettingsStore(file);
        Settings s = store.load();
        assertNull(store.warning());
        // the defaults that changed since: no-repeat n-gram 0 → 3, lookahead 1 → 2, token healing on → off
        assertEquals(3, s.text.noRepeatNgram);
        assertEquals(2, s.text.lookahead);
        assertEquals(false, s.text.tokenHealing);
        // every other value is the user's and stays
        assertEquals("dark", s.theme);
        assertEquals(2, s.panel);
        assertEquals(40.0, s.x);
        assertEquals(1100.0, s.width);
        assertEquals("cpu", s.device);
        assertEquals(1, s.threads);
        assertEquals(5, s.sampling.steps);
        assertEquals(false, s.sampling.randomSeed);
        assertEquals(123456789012L, s.sampling.seed);
        assertEquals(9, s.sampling.count);
        assertEquals("Sneaker", s.sampling.classChoice);
        assertEquals(true, s.sampling.compare);
        assertEquals("brown-lm", s.text.model);
        assertEquals("The child\nThe soldiers", s.text.prompts);
        assertEquals(7, s.text.beams);
        assertEquals(21, s.text.maxNewTokens);
        assertEquals(1.5, s.text.lengthPenalty);
        assertEquals("never", s.text.earlyStopping);
        assertEquals(2, s.text.numReturn);
        assertEquals(false, s.text.lookaheadOn);
        assertEquals(2.5, s.text.lookaheadWeight);
        assertEquals("denoise", s.inpaint.task);
        assertEquals(3, s.inpaint.steps);
        assertEquals("fixed", s.inpaint.seedMode);
        assertEquals(99, s.inpaint.seed);
        assertEquals(5.5, s.inpaint.brush);
        assertEquals(0.7, s.inpaint.sigma);
        assertEquals(8421504, s.inpaint.strokeColour);
        assertEquals(OLD_FILE, Files.readString(file), "loading alone does not rewrite the file");

        // the next save writes the format version (atomically: nothing else left in the folder)
        store.save(s);
        com.fasterxml.jackson.databind.JsonNode saved = dev.atelier.Json.MAPPER.readTree(file.toFile());
        assertEquals(2, saved.get("version").asInt());
        assertEquals(2, saved.get("text").get("lookahead").asInt());
        assertEquals(3, saved.get("text").get("noRepeatNgram").asInt());
        assertEquals(7, saved.get("text").get("beams").asInt());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("settings.json"), files.map(p -> p.getFileName().toString()).toList());
        }

        // from now on the old values are choices like any other: picked again, they stay
        s.text.lookahead = 1;
        s.text.noRepeatNgram = 0;
        s.text.tokenHealing = true;
        store.save(s);
        Settings again = store.load();
        assertEquals(1, again.text.lookahead);
        assertEquals(0, again.text.noRepeatNgram);
        assertEquals(true, again.text.tokenHealing);
    }

    @Test
    void anUnversionedFilesOwnChoicesOfTheChangedSettingsStay(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("settings.json");
        // values the user picked (not the old defaults): kept
        Files.writeString(file, "{\"text\":{\"noRepeatNgram\":2,\"lookahead\":4,\"tokenHealing\":false}}");
        Settings s = new SettingsStore(file).load();
        assertEquals(2, s.text.noRepeatNgram);
        assertEquals(4, s.text.lookahead);
        assertEquals(false, s.text.tokenHealing);
        // the oldest files have no text section at all: today's defaults
        Files.writeString(file, "{\"theme\":\"dark\"}");
        s = new SettingsStore(file).load();
        assertEquals(3, s.text.noRepeatNgram);
        assertEquals(2, s.text.lookahead);
        assertEquals(false, s.text.tokenHealing);
        assertEquals(2, s.version);
        // a versioned file is taken as it is, old default values included
        Files.writeString(file, "{\"version\":2,\"text\":{\"noRepeatNgram\":0,\"lookahead\":1}}");
        s = new SettingsStore(file).load();
        assertEquals(0, s.text.noRepeatNgram);
        assertEquals(1, s.text.lookahead);
    }
}
