package dev.atelier.ui.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atelier.base.AppDirs;
import dev.atelier.base.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Loads and saves {@link Settings} as a per-user JSON file, written atomically. A corrupt or unreadable
 * file is moved aside (its name gets a {@code .corrupt-DATE} suffix), a warning is kept for the UI, and
 * the defaults are used: a broken settings file never stops the studio from starting.
 */
public final class SettingsStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path file;
    private String warning;

    /** @param file the settings file (need not exist) */
    public SettingsStore(Path file) {
        this.file = file;
    }

    /**
     * The default location: the system property {@code atelier.settings} if set, else
     * {@code %APPDATA%\Atelier} on Windows, {@code ~/Library/Application Support/Atelier} on macOS and
     * {@code $XDG_CONFIG_HOME/atelier} (or {@code ~/.config/atelier}) elsewhere.
     */
    public static SettingsStore atDefaultLocation() {
        String override = System.getProperty("atelier.settings");
        if (override != null && !override.isBlank()) {
            return new SettingsStore(Path.of(override));
        }
        return new SettingsStore(AppDirs.current().configDir().resolve("settings.json"));
    }

    /** @return the settings file */
    public Path file() {
        return file;
    }

    /** @return the warning of the last {@link #load()} (a corrupt file moved aside), or null */
    public String warning() {
        return warning;
    }

    /** @return the stored settings, or defaults if there are none or they cannot be read */
    public Settings load() {
        warning = null;
        if (!Files.exists(file)) {
            return new Settings();
        }
        try {
            Settings s = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Settings.class);
            if (s == null) {
                throw new IOException("the file holds no JSON object");
            }
            return s;
        } catch (IOException | RuntimeException e) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                warning = "The settings file " + file + " could not be read (" + oneLine(e) + "). It was moved to "
                        + aside.getFileName() + " and Atelier started with default settings.";
            } catch (IOException moveFailed) {
                warning = "The settings file " + file + " could not be read (" + oneLine(e) + ") nor moved aside ("
                        + moveFailed.getMessage() + "). Atelier started with default settings; check the folder's "
                        + "permissions.";
            }
            return new Settings();
        }
    }

    /** Writes the settings atomically; creates the folder if needed. */
    public void save(Settings settings) throws IOException {
        byte[] bytes = (JSON.writeValueAsString(settings) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, bytes);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
