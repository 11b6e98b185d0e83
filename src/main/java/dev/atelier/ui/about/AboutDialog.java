package dev.atelier.ui.about;

import dev.atelier.base.Engines;
import dev.atelier.base.InstallFacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The About box: Atelier's version, the Java, JavaFX, DJL and PyTorch versions, the device, where the
 * settings, the DJL cache (the extracted natives) and the shipped models live, and the licence texts of
 * the app, the data sets and the libraries (the same files the installers carry).
 */
public final class AboutDialog {
    /** Licence tabs: title → resource under /dev/atelier/licences/. */
    static final Map<String, String> LICENCES = new LinkedHashMap<>();

    static {
        LICENCES.put("Atelier", "LICENSE.txt");
        LICENCES.put("Data sets", "DATA-LICENSES.txt");
        LICENCES.put("Third-party", "THIRD-PARTY.txt");
    }

    private AboutDialog() {
    }

    /**
     * The facts shown, in order (label → value); also what tests check.
     *
     * @param facts the installation's versions and folders
     * @param engine the running engine, or null while it is still starting
     * @param settingsFile the settings file in use
     * @return label → value
     */
    public static Map<String, String> rows(InstallFacts facts, Engines.Info engine, Path settingsFile) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Atelier", facts.appVersion());
        rows.put("Java", System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                + System.getProperty("java.vm.name", "") + ")");
        rows.put("JavaFX", System.getProperty("javafx.runtime.version", "unknown"));
        rows.put("DJL", facts.djlVersion());
        rows.put("PyTorch", engine == null ? facts.pytorchNatives() + " (engine starting…)"
                : engine.version() + " (natives " + facts.pytorchNatives() + ")");
        rows.put("Device", engine == null ? "not chosen yet (engine starting…)" : engine.device());
        rows.put("Settings", settingsFile.toString());
        rows.put("DJL cache (natives)", facts.djlCache().toString());
        rows.put("Models", facts.models() == null ? "not found" : facts.models().toString());
        return rows;
    }

    /**
     * Opens the About box over {@code owner}.
     *
     * @param owner the studio window
     * @param engine the running engine, or null while it is starting
     * @param settingsFile the settings file in use
     * @return the dialog's stage (shown)
     */
    public static Stage show(Window owner, Engines.Info engine, Path settingsFile) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("About Atelier");

        GridPane grid = new GridPane();
        grid.setId("about-facts");
        grid.setHgap(12);
        grid.setVgap(4);
        int row = 0;
        for (Map.Entry<String, String> e : rows(InstallFacts.current(), engine, settingsFile).entrySet()) {
            Label key = new Label(e.getKey());
            key.getStyleClass().add("about-key");
            Label value = new Label(e.getValue());
            value.setId("about-" + e.getKey().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", "-"));
            value.setWrapText(true);
            grid.addRow(row++, key, value);
        }
        Label title = new Label("Atelier");
        title.getStyleClass().add("app-title");
        Label tagline = new Label("A desktop generation studio: consistency models and constrained beam search, offline.");
        tagline.setWrapText(true);
        VBox heading = new VBox(2, title, tagline);
        HBox top = new HBox(14);
        Image icon = icon(64);
        if (icon != null) {
            top.getChildren().add(new ImageView(icon));
        }
        top.getChildren().add(heading);
        top.setAlignment(Pos.CENTER_LEFT);

        TabPane licences = new TabPane();
        licences.setId("about-licences");
        licences.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (Map.Entry<String, String> e : LICENCES.entrySet()) {
            TextArea text = new TextArea(licenceText(e.getValue()));
            text.setEditable(false);
            text.setWrapText(true);
            text.setStyle("-fx-font-family: monospace;");
            licences.getTabs().add(new Tab(e.getKey(), text));
        }
        VBox.setVgrow(licences, Priority.ALWAYS);

        Button close = new Button("Close");
        close.setId("about-close");
        close.setDefaultButton(true);
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        HBox buttons = new HBox(close);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        VBox body = new VBox(12, top, grid, new Label("Licences"), licences);
        BorderPane root = new BorderPane(body);
        root.setBottom(buttons);
        BorderPane.setMargin(buttons, new Insets(8, 0, 0, 0));
        root.setPadding(new Insets(16));
        Scene scene = new Scene(root, 760, 620);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                stage.close();
            }
        });
        stage.setScene(scene);
        stage.getIcons().addAll(icons());
        stage.show();
        return stage;
    }

    /**
     * @param resource a file name under /dev/atelier/licences/
     * @return its text, or a sentence saying it is missing from this build
     */
    static String licenceText(String resource) {
        try (InputStream in = AboutDialog.class.getResourceAsStream("/dev/atelier/licences/" + resource)) {
            if (in == null) {
                return resource + " is missing from this build (it comes from installer/licences/).";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return resource + " could not be read: " + e.getMessage();
        }
    }

    /** @return Atelier's icon at the sizes the jar carries, for window decorations */
    public static List<Image> icons() {
        List<Image> list = new ArrayList<>();
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            Image i = icon(size);
            if (i != null) {
                list.add(i);
            }
        }
        return list;
    }

    private static Image icon(int size) {
        InputStream in = AboutDialog.class.getResourceAsStream("/dev/atelier/icons/atelier-" + size + ".png");
        if (in == null) {
            return null;
        }
        try (in) {
            return new Image(in);
        } catch (IOException e) {
            return null;
        }
    }
}
