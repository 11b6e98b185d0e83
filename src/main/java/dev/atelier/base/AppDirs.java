package dev.atelier.base;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The per-user folders Atelier writes to: settings (config) and data (the DJL cache of the installed app).
 * Linux follows the XDG base directories, macOS {@code ~/Library/Application Support/Atelier}, Windows
 * {@code %APPDATA%\Atelier} (settings) and {@code %LOCALAPPDATA%\Atelier} (data, which is large and should
 * not roam).
 */
public final class AppDirs {
    /** In a system property, stands for {@link #dataDir()}; the installed app's launcher uses it. */
    public static final String USER_DATA_TOKEN = "@USER_DATA@";
    /** DJL's cache folder property (the natives are extracted below it). */
    public static final String DJL_CACHE_PROPERTY = "DJL_CACHE_DIR";

    private final String os;
    private final Path home;
    private final Map<String, String> env;

    /**
     * @param osName the {@code os.name} to follow
     * @param home the user's home folder
     * @param env the environment (XDG_CONFIG_HOME, XDG_DATA_HOME, APPDATA, LOCALAPPDATA)
     */
    public AppDirs(String osName, Path home, Map<String, String> env) {
        this.os = osName.toLowerCase(Locale.ROOT);
        this.home = home;
        this.env = env;
    }

    /** @return the folders of the user running this process */
    public static AppDirs current() {
        return new AppDirs(System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")), System.getenv());
    }

    /** @return where the settings file lives */
    public Path configDir() {
        if (windows() && set("APPDATA")) {
            return Path.of(env.get("APPDATA"), "Atelier");
        }
        if (mac()) {
            return home.resolve("Library/Application Support/Atelier");
        }
        return (set("XDG_CONFIG_HOME") ? Path.of(env.get("XDG_CONFIG_HOME")) : home.resolve(".config")).resolve("atelier");
    }

    /** @return where large per-user data (the installed app's DJL cache) lives */
    public Path dataDir() {
        if (windows() && (set("LOCALAPPDATA") || set("APPDATA"))) {
            return Path.of(set("LOCALAPPDATA") ? env.get("LOCALAPPDATA") : env.get("APPDATA"), "Atelier");
        }
        if (mac()) {
            return home.resolve("Library/Application Support/Atelier");
        }
        return (set("XDG_DATA_HOME") ? Path.of(env.get("XDG_DATA_HOME")) : home.resolve(".local/share")).resolve("atelier");
    }

    /**
     * Replaces {@link #USER_DATA_TOKEN} in the {@code DJL_CACHE_DIR} system property (set by the installed
     * app's launcher, which cannot name the user's folders itself) by {@link #dataDir()}. Call before any DJL
     * class is used.
     *
     * @return the DJL cache folder now set, or null if the property is not set (DJL then uses ~/.djl.ai)
     */
    public String expandDjlCacheDir() {
        String value = System.getProperty(DJL_CACHE_PROPERTY);
        if (value == null) {
            return null;
        }
        if (value.contains(USER_DATA_TOKEN)) {
            value = Path.of(value.replace(USER_DATA_TOKEN, dataDir().toString())).normalize().toString();
            System.setProperty(DJL_CACHE_PROPERTY, value);
        }
        return value;
    }

    private boolean windows() {
        return os.contains("win");
    }

    private boolean mac() {
        return os.contains("mac");
    }

    private boolean set(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
