package dev.atelier.ui;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.ui.common.SettingsStore;
import dev.atelier.ui.text.TextPanelProbe;
import java.lang.management.ManagementFactory;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * The desktop studio. With {@code -Datelier.startupProbe=true} it prints the milliseconds from JVM start
 * to "window shown" and to "engine ready" on stdout and exits (used by {@code atelier bench startup}); with
 * {@code -Datelier.textPanelProbe=N} it times N runs of the Text panel ({@link TextPanelProbe}, used by
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

    private static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
