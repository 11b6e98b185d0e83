package dev.atelier.ui.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.base.AppDirs;
import dev.atelier.base.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Loads and saves {@link Settings} as a per-user JSON file, written atomically. An unreadable file is left
 * in place (and never written over); values out of range are corrected with a warning naming the file; a
 * corrupt file is moved aside (its name gets a {@code .corrupt-DATE} suffix), a warning is kept for the UI, and
 * the defaults are used: a broken settings file never stops the studio from starting. A file written by an older
 * studio gets the defaults that changed since (only where it still holds the old default, {@link #migrate}); the
 * next save writes the current {@link Settings#VERSION}.
 */
public final class SettingsStore {
    private static final ObjectMapper JSON = dev.atelier.Json.MAPPER;
    private final Path file;
    private String warning;
    /** true when the file could not be read: it is left alone, never written over */
    private boolean keep;

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

    /**
     * @return the stored settings with every value in range (see {@link #sanitize}), or defaults if there are
     *     none or they cannot be read. A file that cannot be read (permissions, not a regular file) is left in
     *     place and not saved over; a file that is read but is not valid settings JSON is moved aside.
     */
    public Settings load() {
        warning = null;
        keep = false;
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return new Settings();
        }
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException("it is not a regular file");
            }
            text = dev.atelier.Json.readText(file);
        } catch (IOException e) {
            keep = true;
            warning = "The settings file " + file + " cannot be read (" + dev.atelier.AtelierException.reason(e)
                    + "). It was left as it is and will not be written; Atelier started with default settings. Fix "
                    + "its permissions, or delete it.";
            return new Settings();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw new IOException("the file holds no JSON object");
            }
            int version = migrate((com.fasterxml.jackson.databind.node.ObjectNode) tree);
            Settings s = JSON.treeToValue(tree, Settings.class);
            s.version = Math.max(version, Settings.VERSION); // the next save writes the current format
            return sanitize(s);
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

    /**
     * Brings a file written by an older studio to the current defaults: for each of
     * {@link Settings#CHANGED_DEFAULTS} newer than the file, a value still equal to the old default is removed, so
     * that the current default applies; every other value is kept.
     *
     * @param tree the file's JSON object, changed in place
     * @return the file's format version (1 if it records none)
     * @throws IOException if "version" is there but is not a whole number
     */
    static int migrate(com.fasterxml.jackson.databind.node.ObjectNode tree) throws IOException {
        com.fasterxml.jackson.databind.JsonNode v = tree.get("version");
        if (v != null && !v.canConvertToExactIntegral()) {
            throw new IOException("\"version\" is " + v + ", not a whole number");
        }
        int version = v == null ? 1 : v.asInt();
        for (Settings.ChangedDefault change : Settings.CHANGED_DEFAULTS) {
            if (version >= change.version()) {
                continue;
            }
            String[] path = change.path().split("/");
            com.fasterxml.jackson.databind.JsonNode parent = tree;
            for (int i = 0; i < path.length - 1 && parent != null; i++) {
                parent = parent.get(path[i]);
            }
            if (parent instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                    && sameValue(object.get(path[path.length - 1]), JSON.readTree(change.oldDefault()))) {
                object.remove(path[path.length - 1]);
            }
        }
        return version;
    }

    private static boolean sameValue(com.fasterxml.jackson.databind.JsonNode a,
            com.fasterxml.jackson.databind.JsonNode b) {
        if (a == null) {
            return false;
        }
        return a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
    }

    /**
     * Brings every value into range, keeping a warning that names the settings file for each one changed: an
     * unknown theme or device becomes the default (a device such as "tpu" would keep the engine from ever
     * starting), a thread count outside 0…{@link dev.atelier.Limits#maxThreads()} becomes 0 (all cores),
     * a window size that is not a finite positive number becomes the default, a position that is not finite
     * becomes "let the window system place it". The window further clamps the size to the screen.
     */
    Settings sanitize(Settings s) {
        Settings d = new Settings();
        java.util.List<String> fixed = new java.util.ArrayList<>();
        if (!"light".equals(s.theme) && !"dark".equals(s.theme)) {
            fixed.add("theme \"" + s.theme + "\" (light or dark) is now " + d.theme);
            s.theme = d.theme;
        }
        String device = s.device == null ? null : s.device.toLowerCase(Locale.ROOT);
        if (!"auto".equals(device) && !"cpu".equals(device) && !"gpu".equals(device)) {
            fixed.add("device \"" + s.device + "\" (auto, cpu or gpu) is now auto");
            s.device = d.device;
        }
        if (s.threads < 0 || s.threads > dev.atelier.Limits.maxThreads()) {
            fixed.add("threads " + s.threads + " (0 = all cores, up to " + dev.atelier.Limits.maxThreads()
                    + ") is now 0");
            s.threads = 0;
        }
        if (!(s.width > 0 && s.width < 1e5 && s.height > 0 && s.height < 1e5)) {
            fixed.add("window size " + s.width + "×" + s.height + " is now " + d.width + "×" + d.height);
            s.width = d.width;
            s.height = d.height;
        }
        if (!Double.isFinite(s.x) || !Double.isFinite(s.y) || Math.abs(s.x) > 1e5 || Math.abs(s.y) > 1e5) {
            s.x = Double.NaN; // NaN is the stored "no position"; not worth a warning
            s.y = Double.NaN;
        }
        if (!fixed.isEmpty()) {
            warning = "The settings file " + file + " had values out of range, used as follows: "
                    + String.join("; ", fixed) + ". They will be saved corrected.";
        }
        return s;
    }

    /** Writes the settings atomically; creates the folder if needed. Does nothing for an unreadable file. */
    public void save(Settings settings) throws IOException {
        if (keep) {
            return;
        }
        byte[] bytes = (JSON.writeValueAsString(settings) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, bytes);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
