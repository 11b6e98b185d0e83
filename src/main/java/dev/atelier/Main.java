package dev.atelier;

import dev.atelier.cli.AtelierCommand;
import dev.atelier.base.AppDirs;
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

    /** @param args command-line arguments; none starts the desktop studio */
    public static void main(String[] args) {
        AppDirs.current().expandDjlCacheDir();
        Engines.configure(null);
        String[] studio = studioArguments(args);
        if (studio != null) {
            dev.atelier.ui.StudioApp.launchStudio(studio);
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
        if ("--smoke".equals(args[0])) {
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
