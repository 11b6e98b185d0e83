package dev.atelier.ui.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.text.BeamSnapshot;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The bank view from hand-made snapshots of a toy search: prompt "The" (id 1), one phrase constraint "dog is"
 * (ids 2 3, constraint 0, chip colour 5) and a ban (constraint 1, no progress entry).
 */
@ExtendWith(ApplicationExtension.class)
class BankViewTest {
    private final ObservableList<BankStep> history = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private BankView view;

    @Start
    void start(Stage stage) {
        view = new BankView(history, running.getReadOnlyProperty());
        Scene scene = new Scene(view, 700, 400);
        scene.getStylesheets().add(BankView.class.getResource("/dev/atelier/ui/atelier.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    private static BeamSnapshot.Beam beam(String text, int matched, boolean met, double score, int... tokens) {
        return new BeamSnapshot.Beam(tokens, 1, score, (met ? 2 : 0) + matched, met,
                List.of(new BeamSnapshot.Progress(0, matched, 2, met)), text);
    }

    private static BeamSnapshot step(int step, BeamSnapshot.Beam... beams) {
        return new BeamSnapshot(step, 4, List.of(new BeamSnapshot.Prompt(0, false, 0, List.of(beams))));
    }

    static final BeamSnapshot STEP1 = step(1, beam("The is", 0, false, -0.5, 1, 3), beam("The dog", 1, false, -0.7, 1, 2));
    static final BeamSnapshot STEP2 = step(2, beam("The dog is", 2, true, -0.9, 1, 2, 3),
            beam("The is fast", 0, false, -1.1, 1, 3, 4));
    static final BeamSnapshot STEP3 = step(3, beam("The dog is fast", 2, true, -1.2, 1, 2, 3, 4),
            beam("The is fast dog", 1, false, -1.4, 1, 3, 4, 2));

    static final BeamSnapshot STEP4 = step(4, beam("The is fast dog fast", 0, false, -1.6, 1, 3, 4, 2, 4));

    @Test
    void parentsAreFoundByTokenPrefixAndTheTokensThatAdvancedAConstraintAreMarked() {
        BankSteps b = new BankSteps(List.of("The"), List.of(new int[] {5, 2}));
        b.add(STEP1);
        BankStep s2 = b.add(STEP2).get(0);
        assertEquals(2, s2.step());
        assertEquals(1, s2.constraintCount());
        BankStep.Beam met = s2.beams().get(0);
        assertEquals(List.of(" dog", " is"), met.pieces());
        assertArrayEquals(new int[] {0, 0}, met.advancedBy());
        assertEquals(1, met.met());
        BankStep.Beam other = s2.beams().get(1);
        assertEquals(List.of(" is", " fast"), other.pieces());
        assertArrayEquals(new int[] {-1, -1}, other.advancedBy());
        assertEquals(0, other.met());
        // step 3: " dog" after " is fast" starts a new partial match: marked; the met beam's " fast" is not
        BankStep s3 = b.add(STEP3).get(0);
        assertArrayEquals(new int[] {0, 0, -1}, s3.beams().get(0).advancedBy());
        assertArrayEquals(new int[] {-1, -1, 0}, s3.beams().get(1).advancedBy());
        assertEquals(List.of(" is", " fast", " dog"), s3.beams().get(1).pieces());
        // step 4: " fast" breaks the partial match; its " dog" mark goes, as the match no longer stands
        BankStep s4 = b.add(STEP4).get(0);
        assertArrayEquals(new int[] {-1, -1, -1, -1}, s4.beams().get(0).advancedBy());
    }

    @Test
    void aSkippedStepLeavesItsTokensUnknownButTheLatestTokenKnown() {
        BankSteps b = new BankSteps(List.of("The"), List.of(new int[] {5, 2}));
        b.add(STEP1);
        BankStep s3 = b.add(STEP3).get(0);
        assertEquals(List.of("…", "…", "…"), s3.beams().get(0).pieces());
        assertEquals(3, s3.beams().get(0).advancedBy().length);
    }

    @Test
    void theViewGroupsBeamsByConstraintsMetMarksAdvancingTokensAndStepsBackAfterTheRun(FxRobot robot) {
        BankSteps b = new BankSteps(List.of("The"), List.of(new int[] {5, 2}));
        robot.interact(() -> {
            running.set(true);
            history.addAll(b.add(STEP1));
            history.addAll(b.add(STEP2));
        });
        assertEquals(2, view.shownStep().step());
        List<String> headers = robot.lookup(".bank-header").queryAll().stream().map(n -> ((Label) n).getText()).toList();
        assertEquals(List.of("1 of 1 constraints met · 1 beam", "0 of 1 constraints met · 1 beam"), headers);
        List<Node> marks = List.copyOf(robot.lookup(".bank-mark").queryAll());
        assertEquals(2, marks.size());
        assertTrue(marks.stream().allMatch(n -> n.getStyleClass().contains("c5")));
        // a mark starts at the word: the space before it stays in the plain text
        assertEquals(List.of("dog", "is"), marks.stream().map(n -> ((Label) n).getText()).sorted().toList());
        for (Node flow : robot.lookup(".bank-tokens").queryAll()) {
            String row = String.join("", ((javafx.scene.text.TextFlow) flow).getChildren().stream()
                    .map(n -> n instanceof Label l ? l.getText() : ((javafx.scene.text.Text) n).getText()).toList());
            assertTrue(row.startsWith(" "), "the whole text, spaces included: \"" + row + "\"");
        }
        Slider slider = robot.lookup("#bank-step").queryAs(Slider.class);
        assertTrue(slider.isDisabled(), "live: the slider follows the newest step");

        // paused: new steps are recorded but the view stays; the slider moves through the steps received
        robot.clickOn("#bank-pause");
        robot.interact(() -> history.addAll(b.add(STEP3)));
        assertEquals(2, view.shownStep().step());
        assertFalse(slider.isDisabled());
        robot.interact(() -> slider.setValue(0));
        assertEquals(1, view.shownStep().step());
        robot.interact(() -> robot.lookup("#bank-pause").queryAs(ToggleButton.class).setSelected(false));
        assertEquals(3, view.shownStep().step());

        // after the run: step back and forth
        robot.interact(() -> running.set(false));
        assertFalse(slider.isDisabled());
        robot.interact(() -> slider.setValue(1));
        assertSame(history.get(1), view.shownStep());
        assertEquals("step 2 / 4", robot.lookup("#bank-step-label").queryAs(Label.class).getText());
    }
}
