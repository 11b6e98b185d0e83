package dev.atelier;

import dev.atelier.cli.AtelierCommand;
import dev.atelier.base.EngineConfig;
import dev.atelier.base.Engines;

/**
 * Entry point of the jar: with arguments it is the {@code atelier} command line, without it starts the
 * studio. (A main class that does not extend Application lets JavaFX start from the class path.)
 */
public final class Main {
    private Main() {
    }

    /** @param args command-line arguments; none starts the desktop studio */
    public static void main(String[] args) {
        Engines.configure(EngineConfig.ALL_CORES);
        if (args.length == 0) {
            dev.atelier.ui.StudioApp.launchStudio(args);
            return;
        }
        System.exit(AtelierCommand.execute(args));
    }
}
