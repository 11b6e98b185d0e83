package dev.atelier.ui;

import javafx.application.Application;
import javafx.stage.Stage;

/** The desktop studio (being built in the foundation issue). */
public final class StudioApp extends Application {
    /** Starts JavaFX and shows the studio window. */
    public static void launchStudio(String[] args) {
        Application.launch(StudioApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        stage.setTitle("Atelier");
        stage.show();
    }
}
