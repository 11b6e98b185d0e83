package dev.atelier.ui;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.ui.common.SettingsStore;
import dev.atelier.ui.text.TextPanelProbe;
import java.awt.Desktop;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * The desktop studio. With {@code -Datelier.startupProbe=true} it prints the milliseconds from JVM start
 * to "window shown" and to "engine ready" on stdout and exits (used by {@code atelier bench startup}); with
 * {@code -Datelier.uiBench=true} it runs {@link SamplingBench} in the window (used by {@code atelier bench ui}).
 * Arguments (from dev.atelier.Main): {@code --open FILE} opens an image in the Inpainting panel (a desktop's
 * "Open with Atelier"); {@code --smoke OUT.png} runs {@link SmokeRun}, the installed app's self-check.
 * With {@code -Datelier.textPanelProbe=N} it times N runs of the Text panel ({@link TextPanelProbe}, used by
 * {@code atelier bench text-panel}).
 */
public final class StudioApp extends Application {
    private InferenceLane lane;

    /** Starts JavaFX and shows the studio window. */
    public static void launchStudio(String[] args) {
        Application.launch(StudioApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        lane = new InferenceLane();
        StudioWindow window = new StudioWindow(stage, SettingsStore.atDefaultLocation(), lane);
        boolean probe = Boolean.getBoolean("atelier.startupProbe");
        if (probe) {
            stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> System.out.println("window-shown-ms " + sinceJvmStart()));
            window.jobs().busyProperty().addListener((o, was, busy) -> {
                if (!busy) {
                    System.out.println("engine-ready-ms " + sinceJvmStart());
                    Platform.exit();
                }
            });
        }
        int open = args.indexOf("--open");
        if (open >= 0 && open + 1 < args.size()) {
            Path file = Path.of(args.get(open + 1));
            stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> window.openImage(file));
        }
        acceptOpenFileEvents(window);
        if (Boolean.getBoolean("atelier.uiBench")) {
            stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> Platform.runLater(() -> SamplingBench.start(window)));
        }
        int textRuns = Integer.getInteger("atelier.textPanelProbe", 0);
        if (textRuns > 0) {
            window.jobs().busyProperty().addListener((o, was, busy) -> {
                if (!busy) {
                    window.showPanel(2);
                    TextPanelProbe.start(window.textPanel(), window.scene(), textRuns);
                }
            });
        }
        stage.show();
        window.startEngine();
    }

    @Override
    public void stop() {
        if (lane != null) {
            lane.close();
        }
    }

    /**
     * macOS hands "Open with Atelier" to a running app as an event, not as an argument: route it to the
     * same place as {@code --open}. (Elsewhere AWT does not support the action and nothing happens.)
     */
    private static void acceptOpenFileEvents(StudioWindow window) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac")) {
            return; // only macOS sends open-file events; elsewhere this would start AWT for nothing
        }
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.APP_OPEN_FILE)) {
                Desktop.getDesktop().setOpenFileHandler(e -> {
                    if (!e.getFiles().isEmpty()) {
                        Path file = e.getFiles().get(0).toPath();
                        Platform.runLater(() -> window.openImage(file));
                    }
                });
            }
        } catch (RuntimeException | Error e) {
            // no desktop integration here (headless, or AWT unavailable): files still open as arguments
        }
    }

    private static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
