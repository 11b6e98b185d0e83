package dev.atelier;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue #16, class 4: `atelier` without a display says so and what to do, instead of a toolkit trace. */
class MainTest {
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
