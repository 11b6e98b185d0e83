package dev.atelier.ui.text;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.ui.StudioWindow;
import dev.atelier.ui.common.SettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;

/**
 * Makes the README screenshot from the real window (run under Xvfb with the real Glass toolkit, not Monocle):
 * opens the studio on the Text panel, loads a constraint set, generates, and when the results are shown runs
 * {@code import -window root OUT.png}. Arguments: constraints.json out.png light|dark settings.json
 */
public final class TextPanelScreenshot extends Application {
    /** Starts it (a class that is not the Application itself, so the classpath launch works). */
    public static final class Main {
        public static void main(String[] args) {
            Application.launch(TextPanelScreenshot.class, args);
        }
    }

    @Override
    public void start(Stage stage) throws Exception {
        var args = getParameters().getRaw();
        Path constraints = Path.of(args.get(0));
        Path out = Path.of(args.get(1));
        boolean dark = "dark".equals(args.get(2));
        Path settings = Path.of(args.get(3));
        Files.deleteIfExists(settings);
        InferenceLane lane = new InferenceLane();
        StudioWindow window = new StudioWindow(stage, new SettingsStore(settings), lane);
        stage.setWidth(1500);
        stage.setHeight(940);
        stage.setX(0);
        stage.setY(0);
        stage.show();
        ((TabPane) window.scene().lookup("#panels")).getSelectionModel().select(2);
        ((ToggleButton) window.scene().lookup("#theme-toggle")).setSelected(dark);
        TextPanelViewModel vm = window.textPanel().viewModel();
        window.textPanel().load(constraints);
        vm.beamsProperty().set(8);
        vm.maxNewTokensProperty().set(30);
        vm.noRepeatNgramProperty().set(3);
        vm.numReturnProperty().set(2);
        window.startEngine();
        vm.setOnResultShown(times -> new Thread(() -> {
            try {
                Thread.sleep(1500);
                Platform.runLater(() -> window.textPanel().bankView().toString());
                Thread.sleep(500);
                new ProcessBuilder("import", "-window", "root", out.toString()).inheritIO().start().waitFor();
            } catch (Exception e) {
                e.printStackTrace();
            }
            Platform.runLater(() -> {
                lane.close();
                Platform.exit();
            });
        }).start());
        // generate once the chips are tokenised and Generate is enabled
        Runnable tryGenerate = new Runnable() {
            @Override
            public void run() {
                if (vm.blockReasonProperty().get() == null && vm.chips().stream()
                        .allMatch(c -> c.previewProperty().get() != null)) {
                    vm.generate();
                } else {
                    new Thread(() -> {
                        try {
                            Thread.sleep(300);
                        } catch (InterruptedException e) {
                            return;
                        }
                        Platform.runLater(this);
                    }).start();
                }
            }
        };
        Platform.runLater(tryGenerate);
    }
}
