package dev.atelier.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppDirsTest {
    private static final Path HOME = Path.of("/home/ada");

    @Test
    void linuxFollowsXdgWithTheSpecDefaults() {
        AppDirs plain = new AppDirs("Linux", HOME, Map.of());
        assertEquals(Path.of("/home/ada/.config/atelier"), plain.configDir());
        assertEquals(Path.of("/home/ada/.local/share/atelier"), plain.dataDir());
        AppDirs xdg = new AppDirs("Linux", HOME, Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_DATA_HOME", "/data"));
        assertEquals(Path.of("/cfg/atelier"), xdg.configDir());
        assertEquals(Path.of("/data/atelier"), xdg.dataDir());
        AppDirs blank = new AppDirs("Linux", HOME, Map.of("XDG_DATA_HOME", " "));
        assertEquals(Path.of("/home/ada/.local/share/atelier"), blank.dataDir());
    }

    @Test
    void macOsUsesApplicationSupportForBoth() {
        AppDirs mac = new AppDirs("Mac OS X", HOME, Map.of("XDG_DATA_HOME", "/ignored"));
        assertEquals(Path.of("/home/ada/Library/Application Support/Atelier"), mac.configDir());
        assertEquals(Path.of("/home/ada/Library/Application Support/Atelier"), mac.dataDir());
    }

    @Test
    void windowsRoamsSettingsButKeepsTheLargeCacheLocal() {
        AppDirs win = new AppDirs("Windows 11", HOME, Map.of("APPDATA", "C:/Users/ada/AppData/Roaming",
                "LOCALAPPDATA", "C:/Users/ada/AppData/Local"));
        assertEquals(Path.of("C:/Users/ada/AppData/Roaming", "Atelier"), win.configDir());
        assertEquals(Path.of("C:/Users/ada/AppData/Local", "Atelier"), win.dataDir());
        AppDirs noLocal = new AppDirs("Windows 11", HOME, Map.of("APPDATA", "C:/R"));
        assertEquals(Path.of("C:/R", "Atelier"), noLocal.dataDir());
    }

    @Test
    void theLaunchersTokenBecomesTheDataFolder() {
        String before = System.getProperty(AppDirs.DJL_CACHE_PROPERTY);
        try {
            AppDirs dirs = new AppDirs("Linux", HOME, Map.of());
            System.clearProperty(AppDirs.DJL_CACHE_PROPERTY);
            assertNull(dirs.expandDjlCacheDir());
            System.setProperty(AppDirs.DJL_CACHE_PROPERTY, AppDirs.USER_DATA_TOKEN + "/djl");
            assertEquals("/home/ada/.local/share/atelier/djl", dirs.expandDjlCacheDir());
            assertEquals("/home/ada/.local/share/atelier/djl", System.getProperty(AppDirs.DJL_CACHE_PROPERTY));
            System.setProperty(AppDirs.DJL_CACHE_PROPERTY, "/explicit/cache");
            assertEquals("/explicit/cache", dirs.expandDjlCacheDir());
        } finally {
            if (before == null) {
                System.clearProperty(AppDirs.DJL_CACHE_PROPERTY);
            } else {
                System.setProperty(AppDirs.DJL_CACHE_PROPERTY, before);
            }
        }
    }
}
