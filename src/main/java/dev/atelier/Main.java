package dev.atelier;

import dev.atelier.cli.AtelierCommand;
import dev.atelier.base.AppDirs;
import dev.atelier.base.EngineConfig;
import dev.atelier.base.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Entry point of the jar and of the installed app's launchers. No arguments start the studio; a single
 * image file (what a desktop's "Open with Atelier" passes) starts the studio with that image in the
 * Inpainting panel; {@code --smoke OUT.png} starts the studio for the packaging check (dev.atelier.ui.SmokeRun);
 * anything else is the {@code atelier} command line. (A main class that does not extend Application lets
 * JavaFX start from the class path.)
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
        AppDirs.current().expandDjlCacheDir();
        Engines.configure(EngineConfig.ALL_CORES);
        String[] studio = studioArguments(args);
        if (studio != null) {
            String noDisplay = noDisplay(System.getProperty("os.name", ""), System.getenv("DISPLAY"),
                    System.getenv("WAYLAND_DISPLAY"));
            if (noDisplay != null && !java.util.Arrays.asList(studio).contains("--smoke")) {
                System.err.println("atelier: " + noDisplay);
                System.exit(1);
            }
            try {
                dev.atelier.ui.StudioApp.launchStudio(studio);
            } catch (RuntimeException | Error e) {
                System.err.println("atelier: the studio could not open its window ("
                        + AtelierException.reason(e) + "). Use a subcommand instead (atelier --help).");
                System.exit(1);
            }
            return;
        }
        System.exit(AtelierCommand.execute(args));
    }

    /**
     * @param args the process arguments
     * @return the studio's arguments ({@code --open FILE}, {@code --smoke OUT}), or null for the command line
     */
    static String[] studioArguments(String[] args) {
        if (args.length == 0) {
            return args;
        }
        if ("--smoke".equals(args[0]) && args.length == 2) {
            return args;
        }
        if (args.length == 1 && !args[0].startsWith("-") && looksLikeImage(args[0]) && Files.isRegularFile(Path.of(args[0]))) {
            return new String[] {"--open", Path.of(args[0]).toAbsolutePath().toString()};
        }
        return null;
    }

    private static boolean looksLikeImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
    }
}
