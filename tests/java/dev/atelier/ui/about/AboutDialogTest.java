package dev.atelier.ui.about;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import dev.atelier.base.Engines;
import dev.atelier.base.InstallFacts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class AboutDialogTest {
    private Stage owner;

    @Start
    void start(Stage stage) {
        owner = stage;
        stage.show();
    }

    @Test
    void factsComeFromDjlItselfAndTheRunningEngine() {
        InstallFacts facts = InstallFacts.current();
        assertEquals(Engine.getDjlVersion(), facts.djlVersion());
        assertEquals(Utils.getEngineCacheDir("pytorch"), facts.djlCache());
        assertTrue(facts.pytorchNatives().startsWith("2.7.1 cpu "), facts.pytorchNatives());

        Engines.Info engine = new Engines.Info("PyTorch", "2.7.1", "CPU, 2 threads", 0, 2);
        Map<String, String> rows = AboutDialog.rows(facts, engine, Path.of("/s/settings.json"));
        assertEquals(List.of("Atelier", "Java", "JavaFX", "DJL", "PyTorch", "Device", "Settings",
                "DJL cache (natives)", "Models"), List.copyOf(rows.keySet()));
        assertEquals("CPU, 2 threads", rows.get("Device"));
        assertTrue(rows.get("PyTorch").startsWith("2.7.1 (natives 2.7.1 cpu"));
        assertEquals("/s/settings.json", rows.get("Settings"));
        assertEquals(facts.djlCache().toString(), rows.get("DJL cache (natives)"));

        Map<String, String> starting = AboutDialog.rows(facts, null, Path.of("/s/settings.json"));
        assertTrue(starting.get("Device").contains("starting"));
    }

    @Test
    void theDialogShowsTheFactsAndAllThreeLicences(FxRobot robot) {
        Engines.Info engine = new Engines.Info("PyTorch", "2.7.1", "CPU, 1 thread", 0, 1);
        Stage[] about = new Stage[1];
        Platform.runLater(() -> about[0] = AboutDialog.show(owner, engine, Path.of("/s/settings.json")));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(about[0].isShowing());
        assertEquals(Engine.getDjlVersion(), robot.lookup("#about-djl").queryAs(Label.class).getText());
        assertEquals("CPU, 1 thread", robot.lookup("#about-device").queryAs(Label.class).getText());
        TabPane licences = robot.lookup("#about-licences").queryAs(TabPane.class);
        assertEquals(List.of("Atelier", "Data sets", "Third-party"),
                licences.getTabs().stream().map(t -> t.getText()).toList());
        for (var tab : licences.getTabs()) {
            String text = ((TextArea) tab.getContent()).getText();
            assertFalse(text.contains("is missing from this build"), tab.getText());
        }
        assertTrue(((TextArea) licences.getTabs().get(1).getContent()).getText().contains("Fashion-MNIST"));
        robot.clickOn("#about-close");
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(about[0].isShowing());
    }
}
