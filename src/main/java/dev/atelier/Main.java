package dev.atelier;

import dev.atelier.cli.AtelierCommand;
import dev.atelier.runtime.Engines;

/**
 * Entry point of the jar: with arguments it is the {@code atelier} command line, without it starts the
 * studio. (A main class that does not extend Application lets JavaFX start from the class path.)
 */
public final class Main {
    private Main() {
    }

    /**
     * @return why the studio cannot open a window here (a Linux or BSD session without X11 or Wayland display),
     *     with what to do instead; null when a display may be there
     */
    static String noDisplay(String os, String display, String wayland) {
        boolean unixDesktop = !os.toLowerCase(java.util.Locale.ROOT).contains("win")
                && !os.toLowerCase(java.util.Locale.ROOT).contains("mac");
        if (unixDesktop && (display == null || display.isBlank()) && (wayland == null || wayland.isBlank())) {
            return "no display is available (neither DISPLAY nor WAYLAND_DISPLAY is set), so the studio cannot open "
                    + "its window. Start it from a desktop session, or run it under a virtual display (xvfb-run -a "
                    + "atelier), or use a subcommand: atelier --help.";
        }
        return null;
    }

    /** @param args command-line arguments; none starts the desktop studio */
    public static void main(String[] args) {
        Engines.configure(null);
        if (args.length == 0) {
            String noDisplay = noDisplay(System.getProperty("os.name", ""), System.getenv("DISPLAY"),
                    System.getenv("WAYLAND_DISPLAY"));
            if (noDisplay != null) {
                System.err.println("atelier: " + noDisplay);
                System.exit(1);
            }
            try {
                dev.atelier.ui.StudioApp.launchStudio(args);
            } catch (RuntimeException | Error e) {
                System.err.println("atelier: the studio could not open its window ("
                        + AtelierException.reason(e) + "). Use a subcommand instead (atelier --help).");
                System.exit(1);
            }
            return;
        }
        System.exit(AtelierCommand.execute(args));
    }
}
