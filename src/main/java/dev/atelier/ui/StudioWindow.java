package dev.atelier.ui;

import dev.atelier.AtelierException;
import dev.atelier.app.Services;
import dev.atelier.base.EngineConfig;
import dev.atelier.base.Engines;
import dev.atelier.runtime.EngineStartup;
import dev.atelier.runtime.InferenceLane;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.JobOwner;
import dev.atelier.ui.about.AboutDialog;
import dev.atelier.ui.common.JobsViewModel;
import dev.atelier.ui.common.PanelFrame;
import dev.atelier.ui.common.PixelImages;
import dev.atelier.ui.common.Settings;
import dev.atelier.ui.common.SettingsStore;
import dev.atelier.ui.common.StatusViewModel;
import dev.atelier.ui.inpaint.InpaintView;
import dev.atelier.ui.inpaint.InpaintViewModel;
import dev.atelier.ui.sampling.SamplingView;
import dev.atelier.ui.sampling.SamplingViewModel;
import dev.atelier.ui.text.TextPanelView;
import dev.atelier.ui.text.TextPanelViewModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.dialog.ExceptionDialog;

/**
 * The studio window: three panels in tabs (Ctrl+1/2/3), a theme switch, a notification bar, and a status
 * bar with the engine, the running jobs' progress and message, and Cancel (all jobs). Each panel owns its jobs
 * ({@link #jobsFor(JobOwner)} with its entry of {@link #PANEL_OWNERS}): Esc cancels only the shown panel's jobs.
 * Panels reach the models through {@link #services()}. Geometry, theme and the last panel are saved to the
 * settings file whenever they change and restored when the window is built.
 */
public final class StudioWindow {
    /** Panel titles in tab order; the index is what settings store. */
    public static final List<String> PANELS = List.of("Sampling", "Inpainting", "Text");
    /** The job owner of each panel, in tab order. */
    public static final List<JobOwner> PANEL_OWNERS = List.of(new JobOwner("sampling"), new JobOwner("inpaint"),
            new JobOwner("text"));

    private final Stage stage;
    private final SettingsStore store;
    private final Settings settings;
    private final InferenceLane lane;
    private final StatusViewModel status = new StatusViewModel();
    private final Map<JobOwner, JobsViewModel> owners = new HashMap<>();
    private final JobsViewModel jobs;
    private final EngineConfig engine;
    private final Services services;
    private String engineWarning;
    private final TabPane tabs = new TabPane();
    private final ToggleButton darkToggle = new ToggleButton();
    private final Label engineLabel = new Label("Engine: starting…");
    private final NotificationPane notifications;
    private final Scene scene;
    private final SamplingViewModel sampling;
    private final SamplingView samplingView;
    private final TextPanelView textPanel;
    private final InpaintView inpaint;
    private Engines.Info engineInfo;

    /**
     * Builds the window on {@code stage} (not yet shown).
     *
     * @param stage the stage to fill
     * @param store where settings are read and written
     * @param lane the inference lane all jobs run on
     */
    public StudioWindow(Stage stage, SettingsStore store, InferenceLane lane) {
        this.stage = stage;
        this.store = store;
        this.settings = store.load();
        this.lane = lane;
        this.engine = engineConfig(settings);
        this.services = new Services(lane, engine);
        this.jobs = jobsFor(JobOwner.STUDIO);
        TextPanelViewModel textVm = new TextPanelViewModel(services, jobsFor(PANEL_OWNERS.get(2)));
        textVm.restore(settings.text);
        this.textPanel = new TextPanelView(textVm, this::showFailure);

        InpaintViewModel inpaintVm = new InpaintViewModel(settings.inpaint, this::save, services,
                jobsFor(PANEL_OWNERS.get(1)));
        inpaint = new InpaintView(inpaintVm);
        tabs.setId("panels");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        if (settings.sampling == null) {
            settings.sampling = new Settings.SamplingSettings();
        }
        sampling = new SamplingViewModel(services, jobsFor(PANEL_OWNERS.get(0)), settings.sampling, this::save,
                store.file().resolveSibling("sampling-history.json"));
        sampling.setNotifier(this::showFailure);
        sampling.setSendToInpainting(image -> {
            inpaintVm.importImage(PixelImages.toAwt(image.image()), "Sampling, seed " + image.seed());
            tabs.getSelectionModel().select(1);
        });
        samplingView = new SamplingView(sampling);
        PanelFrame samplingFrame = new PanelFrame("sampling-panel", "Sampling",
                "Consistency models: one image in one network call, or better images in a few calls.");
        samplingFrame.getChildren().add(samplingView);
        VBox.setVgrow(samplingView, Priority.ALWAYS);
        tabs.getTabs().addAll(
                tab(0, samplingFrame),
                tab(1, inpaint),
                tab(2, textPanel));

        darkToggle.setId("theme-toggle");
        darkToggle.setFocusTraversable(false);
        // the button names the theme it switches to, so its label is never the theme already shown
        darkToggle.textProperty().bind(javafx.beans.binding.Bindings.when(darkToggle.selectedProperty())
                .then("Light theme").otherwise("Dark theme"));
        Tooltip themeTip = new Tooltip();
        themeTip.textProperty().bind(javafx.beans.binding.Bindings.when(darkToggle.selectedProperty())
                .then("Switch to the light theme (Ctrl+Shift+T)").otherwise("Switch to the dark theme (Ctrl+Shift+T)"));
        darkToggle.setTooltip(themeTip);
        Label title = new Label("Atelier");
        title.getStyleClass().add("app-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button about = new Button("About");
        about.setId("about-button");
        about.setFocusTraversable(false);
        about.setOnAction(e -> showAbout());
        HBox top = new HBox(8, title, spacer, darkToggle, about);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(6, 10, 6, 10));
        top.getStyleClass().add("top-bar");

        BorderPane root = new BorderPane(tabs);
        root.setTop(top);
        root.setBottom(statusBar());
        notifications = new NotificationPane(root);
        notifications.setId("notifications");
        inpaintVm.setNotifier(this::showFailure);

        scene = new Scene(notifications);
        scene.getStylesheets().add(css("atelier.css"));
        installShortcuts();
        applyTheme(settings.theme);
        darkToggle.setSelected("dark".equals(settings.theme));
        darkToggle.selectedProperty().addListener((o, was, dark) -> {
            applyTheme(dark ? "dark" : "light");
            settings.theme = dark ? "dark" : "light";
            save();
        });
        tabs.getSelectionModel().select(Math.max(0, Math.min(PANELS.size() - 1, settings.panel)));
        tabs.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> {
            settings.panel = now.intValue();
            save();
            focusPanel(now.intValue());
        });
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> focusPanel(tabs.getSelectionModel().getSelectedIndex()));

        stage.setTitle("Atelier");
        stage.getIcons().addAll(AboutDialog.icons());
        stage.setScene(scene);
        restoreGeometry();
        stage.setOnHiding(e -> {
            rememberGeometry();
            textPanel.viewModel().store(settings.text);
            save();
        });
        String warning = store.warning() != null ? store.warning() : engineWarning;
        if (warning != null) {
            stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> notifications.show(warning));
        }
    }

    /** Starts the engine on the lane (the first start extracts the natives, shown as progress). */
    public void startEngine() {
        jobs.submit(JobKind.ENGINE, "Starting PyTorch…", ctx -> EngineStartup.start(ctx, engine), null,
                info -> {
                    engineInfo = info;
                    engineLabel.setText(info.engine() + " " + info.version() + " · " + info.device());
                    status.messageProperty().set("Ready");
                });
        sampling.start();
    }

    /** @return the Sampling panel's view model */
    public SamplingViewModel sampling() {
        return sampling;
    }


    /** Opens the About box (version, engine, device, folders, licences); F1 does the same. */
    public Stage showAbout() {
        return AboutDialog.show(stage, engineInfo, store.file());
    }

    /** @return the studio's own jobs (engine start-up) */
    public JobsViewModel jobs() {
        return jobs;
    }

    /**
     * @param owner a panel's entry of {@link #PANEL_OWNERS} (or any other owner)
     * @return that owner's jobs: its busy state, progress, Esc; failures show in the window's notification bar
     *     unless the panel sets its own sink
     */
    public JobsViewModel jobsFor(JobOwner owner) {
        return owners.computeIfAbsent(owner, o -> {
            JobsViewModel j = new JobsViewModel(lane, o, status);
            j.setFailureSink(this::showFailure);
            return j;
        });
    }

    /** @return the services panels submit their requests to (on this window's lane) */
    public Services services() {
        return services;
    }

    /** @return the status bar's view of every owner's jobs */
    public StatusViewModel status() {
        return status;
    }

    private EngineConfig engineConfig(Settings s) {
        try {
            return new EngineConfig(s.device, s.threads, "the settings file " + store.file());
        } catch (AtelierException e) {
            engineWarning = "The settings file " + store.file() + " has a bad engine choice (" + e.getMessage()
                    + "). The studio runs on the automatic device with all cores.";
            return EngineConfig.defaults();
        }
    }

    /** @return the scene (for snapshots) */
    public Scene scene() {
        return scene;
    }

    /** @return the settings as currently applied */
    public Settings settings() {
        return settings;
    }

    /** Shows panel {@code index} (0 sampling, 1 inpainting, 2 text), as its tab or Ctrl+1/2/3 does. */
    public void showPanel(int index) {
        tabs.getSelectionModel().select(index);
    }

    /** @return the Text panel */
    public TextPanelView textPanel() {
        return textPanel;
    }

    /** @return the Inpainting panel */
    public InpaintView inpaint() {
        return inpaint;
    }

    /**
     * Shows the Inpainting panel and imports {@code file} through its own import path (as a drop or Open…
     * would: a bad file gives its notification). What "Open with Atelier" and {@code Atelier FILE} do.
     */
    public void openImage(Path file) {
        tabs.getSelectionModel().select(1);
        inpaint.viewModel().importFile(file);
    }

    /** Puts the keyboard focus on the main control of panel {@code index} once it is shown. */
    private void focusPanel(int index) {
        if (index == 0) {
            Platform.runLater(samplingView::focusMainControl);
        } else if (index == 1) {
            Platform.runLater(inpaint::focusMainControl);
        } else if (index == 2) {
            textPanel.focusPrompt();
        }
    }

    private Tab tab(int index, javafx.scene.Node content) {
        Tab t = new Tab(PANELS.get(index), content);
        t.setId("tab-" + PANELS.get(index).toLowerCase(java.util.Locale.ROOT));
        return t;
    }

    private HBox statusBar() {
        engineLabel.setId("engine-label");
        Label message = new Label();
        message.setId("job-message");
        message.textProperty().bind(status.messageProperty());
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        ProgressBar bar = new ProgressBar();
        bar.setId("job-progress");
        bar.setPrefWidth(220);
        bar.progressProperty().bind(status.progressProperty());
        bar.visibleProperty().bind(status.busyProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("job-cancel");
        cancel.disableProperty().bind(status.busyProperty().not());
        cancel.setOnAction(e -> lane.cancelAll());
        cancel.setFocusTraversable(false);
        HBox bar0 = new HBox(10, engineLabel, new Label("|"), message, bar, cancel);
        bar0.setAlignment(Pos.CENTER_LEFT);
        bar0.setPadding(new Insets(4, 10, 4, 10));
        bar0.getStyleClass().add("status-bar");
        return bar0;
    }

    private void installShortcuts() {
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3};
        for (int i = 0; i < digits.length; i++) {
            int index = i;
            scene.getAccelerators().put(new KeyCodeCombination(digits[i], KeyCombination.SHORTCUT_DOWN),
                    () -> tabs.getSelectionModel().select(index));
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), () -> {
            int panel = tabs.getSelectionModel().getSelectedIndex();
            if (panel == 0) {
                sampling.cancel(); // also stops the slider's pending resample
            } else {
                jobsFor(PANEL_OWNERS.get(panel)).cancel();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F1), this::showAbout);
        // the theme button stays out of the Tab order (Tab moves within a panel); this is its keyboard way
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), () -> darkToggle.setSelected(!darkToggle.isSelected()));
    }

    private void applyTheme(String theme) {
        List<String> sheets = scene.getStylesheets();
        sheets.remove(css("dark.css"));
        if ("dark".equals(theme)) {
            sheets.add(css("dark.css"));
        }
    }

    private static String css(String name) {
        return Objects.requireNonNull(StudioWindow.class.getResource("/dev/atelier/ui/" + name), name).toExternalForm();
    }

    private void restoreGeometry() {
        // the store has made the size finite and positive; the window also fits the screen it starts on
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double w = Math.min(Math.max(640, settings.width), Math.max(640, screen.getWidth()));
        double h = Math.min(Math.max(480, settings.height), Math.max(480, screen.getHeight()));
        stage.setWidth(w);
        stage.setHeight(h);
        if (!Double.isNaN(settings.x) && !Double.isNaN(settings.y)
                && !Screen.getScreensForRectangle(new Rectangle2D(settings.x, settings.y, w, h)).isEmpty()) {
            stage.setX(settings.x);
            stage.setY(settings.y);
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(settings.maximized);
    }

    private void rememberGeometry() {
        settings.maximized = stage.isMaximized();
        if (!stage.isMaximized()) {
            settings.x = stage.getX();
            settings.y = stage.getY();
            settings.width = stage.getWidth();
            settings.height = stage.getHeight();
        }
    }

    private void save() {
        try {
            store.save(settings);
        } catch (IOException e) {
            notifications.show("Settings could not be saved to " + store.file() + " (" + e.getMessage()
                    + "). Check that the folder is writable.");
        }
    }

    /** Shows a problem in the notification bar, with a Details… button when there is an error to show. */
    private void showFailure(String message, Throwable error) {
        if (error == null) {
            notifications.setGraphic(null);
            notifications.show(message);
            return;
        }
        Button details = new Button("Details…");
        details.setOnAction(e -> {
            ExceptionDialog d = new ExceptionDialog(error);
            d.setHeaderText(message);
            d.initOwner(stage);
            d.show();
        });
        notifications.setGraphic(details);
        notifications.show(message);
    }
}
