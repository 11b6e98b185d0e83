package dev.atelier.ui.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.app.TextRequest;
import dev.atelier.app.TextResult;
import dev.atelier.runtime.JobListener;
import dev.atelier.runtime.JobOwner;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.BeamSnapshot;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintMatch;
import dev.atelier.ui.LaneHold;
import dev.atelier.ui.StudioWindow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Text panel in the studio window, driven as a user would, with the shipped language model. */
class TextPanelTest extends TextStudioFixture {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    private void waitUntil(int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder state = new StringBuilder("timed out; chips:");
            for (ConstraintChip c : vm.chips()) {
                state.append("\n  ").append(c.spec()).append(" preview ").append(c.previewProperty().get());
            }
            state.append("\nblock reason: ").append(vm.blockReasonProperty().get()).append("\nfocus: ")
                    .append(window.scene().getFocusOwner());
            throw new AssertionError(state.toString(), e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The phrase fields of chip {@code index}, in reading order. */
    private List<javafx.scene.control.TextField> fields(FxRobot robot, int index) {
        ConstraintChip chip = vm.chips().get(index);
        Node view = robot.lookup(".chip").match(n -> n.getUserData() == chip).query();
        List<javafx.scene.control.TextField> out = new ArrayList<>();
        view.lookupAll(".chip-field").forEach(n -> out.add((javafx.scene.control.TextField) n));
        out.sort(java.util.Comparator.<javafx.scene.control.TextField>comparingDouble(
                f -> f.localToScene(0, 0).getY()).thenComparingDouble(f -> f.localToScene(0, 0).getX()));
        return out;
    }

    /** Types into a field as a user would (the field may be scrolled out of the panel's view, so focus it first). */
    private void typeInto(FxRobot robot, javafx.scene.control.TextField field, String text) {
        robot.interact(field::requestFocus);
        robot.write(text);
    }

    private Button generateButton(FxRobot robot) {
        return robot.lookup("#text-generate").queryAs(Button.class);
    }

    /** The constraint spans as the results view highlights them, per output card: constraint → [start, end). */
    private static List<Map<Integer, int[]>> highlightedSpans(FxRobot robot) {
        List<Map<Integer, int[]>> out = new ArrayList<>();
        for (Node card : robot.lookup(".result-card").queryAll()) {
            Map<Integer, int[]> spans = new TreeMap<>();
            for (Node n : card.lookupAll(".hl")) {
                ResultItem.Segment s = (ResultItem.Segment) n.getUserData();
                for (int c : s.constraints()) {
                    int[] span = spans.get(c);
                    if (span == null) {
                        spans.put(c, new int[] {s.start(), s.end()});
                    } else {
                        assertEquals(span[1], s.start(), "a constraint's highlighted segments are contiguous");
                        span[1] = s.end();
                    }
                }
            }
            out.add(spans);
        }
        return out;
    }

    /** The same request run through the text service (and waited for), with its snapshots. */
    private TextResult service(List<String> prompts, List<ConstraintSpec> specs, int beams, int maxNew, int numReturn) {
        return window.services().text().run(new JobOwner("test"), TextRequest.sharedConstraints("brown-lm",
                prompts, specs, new BeamSearchConfig(SearchMode.STRICT, beams, null, maxNew, 0, 1.0,
                        EarlyStopping.FALSE, numReturn, 3)), new JobListener<>() { });
    }

    /** The outputs and spans the text service reports for the same request. */
    private List<TextOutput> expected(List<String> prompts, List<ConstraintSpec> specs, int beams, int maxNew,
            int numReturn) {
        return service(prompts, specs, beams, maxNew, numReturn).outputs().stream().map(TextResult.Output::output)
                .toList();
    }

    @Test
    void chipsBuiltByClickingAndTypingGenerateAndTheHighlightsAreTheSearchSpans(FxRobot robot) throws Exception {
        robot.clickOn("#text-prompts").write("The soldiers");
        robot.interact(() -> {
            vm.beamsProperty().set(4);
            vm.maxNewTokensProperty().set(14);
        });
        robot.clickOn("#add-phrase");
        robot.write("the enemy");
        robot.clickOn("#add-any");
        robot.write("fought");
        assertEquals(2, fields(robot, 1).size());
        typeInto(robot, fields(robot, 1).get(1), "attacked");
        robot.clickOn(robot.lookup(".chip-add-option").queryButton());
        robot.write("killed");
        waitUntil(30, () -> vm.chips().size() == 2 && vm.chips().stream().allMatch(c -> c.previewProperty().get() != null
                && c.previewProperty().get().parts().size() == c.values().size()
                && c.values().stream().noneMatch(String::isEmpty)));
        assertEquals(List.of(new ConstraintSpec(ConstraintSpec.Kind.PHRASE, List.of("the enemy")),
                new ConstraintSpec(ConstraintSpec.Kind.ANY, List.of("fought", "attacked", "killed"))),
                vm.content().perPrompt().get(0));
        List<String> tokenLines = robot.lookup(".chip-tokens").queryAll().stream()
                .map(n -> ((Label) n).getText()).toList();
        assertEquals("tokens: ▁the ▁enemy", tokenLines.get(0));
        assertTrue(tokenLines.get(1).startsWith("tokens: "), tokenLines.get(1));
        assertEquals(3, tokenLines.get(1).split(" \\| ").length, tokenLines.get(1));

        assertFalse(generateButton(robot).isDisabled(), vm.blockReasonProperty().get());
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitUntil(60, () -> !vm.results().isEmpty() && !vm.runningProperty().get());

        List<TextOutput> expected = expected(List.of("The soldiers"), vm.content().perPrompt().get(0), 4, 14, 1);
        assertEquals(expected.size(), vm.results().size());
        List<Map<Integer, int[]>> shown = highlightedSpans(robot);
        for (int i = 0; i < expected.size(); i++) {
            TextOutput want = expected.get(i);
            ResultItem got = vm.results().get(i);
            assertArrayEquals(want.tokens(), got.tokens());
            assertEquals(want.satisfied(), got.satisfied());
            assertEquals(want.score(), got.score(), 1e-9);
            Map<Integer, int[]> wantSpans = new TreeMap<>();
            for (ConstraintMatch m : want.matches()) {
                wantSpans.put(m.constraint(), new int[] {m.start(), m.end()});
            }
            assertEquals(wantSpans.keySet(), shown.get(i).keySet());
            for (int c : wantSpans.keySet()) {
                assertArrayEquals(wantSpans.get(c), shown.get(i).get(c), "constraint " + c);
            }
            String concatenated = got.segments().stream().map(ResultItem.Segment::text).reduce("", String::concat);
            assertEquals(got.text(), concatenated);
            assertFalse(got.text().contains("<|endoftext|>"), got.text());
        }
        assertTrue(robot.lookup(".badge").queryAs(Label.class).getText().contains("satisfied"));

        // the bank view holds every step; its last step is the search's last snapshot, and an output that ran to
        // the length limit is one of its beams, with the same score
        TextResult run = service(List.of("The soldiers"), vm.content().perPrompt().get(0), 4, 14, 1);
        // (steps the live view missed come a moment after the results)
        waitUntil(10, () -> window.textPanel().bankView().stepsOfPrompt().size() == run.steps().size());
        List<BankStep> steps = window.textPanel().bankView().stepsOfPrompt();
        assertEquals(run.steps().size(), steps.size());
        BankStep last = window.textPanel().bankView().shownStep();
        assertSame(steps.get(steps.size() - 1), last);
        BeamSnapshot.Prompt snap = run.steps().get(run.steps().size() - 1).prompts().get(0);
        assertEquals(snap.beams().size(), last.beams().size());
        for (int i = 0; i < last.beams().size(); i++) {
            BankStep.Beam shownBeam = last.beams().get(i);
            BeamSnapshot.Beam b = snap.beams().get(i);
            assertEquals(b.text(), "The soldiers" + String.join("", shownBeam.pieces()));
            assertEquals(b.score(), shownBeam.score(), 0.0);
            assertEquals(b.constraints().stream().filter(BeamSnapshot.Progress::met).count(), shownBeam.met());
        }
        for (TextOutput o : expected) {
            if (o.tokens().length == o.promptLength() + 14) {
                assertTrue(last.beams().stream().anyMatch(b -> b.score() == o.score()
                        && b.text().equals(vm.results().get(o.rank()).text())), "output " + o.rank());
            }
        }
        int marked = 0;
        for (BankStep.Beam b : last.beams()) {
            for (int c : b.advancedBy()) {
                marked += c >= 0 ? 1 : 0;
            }
        }
        assertTrue(marked >= 1, "a satisfied beam has tokens that advanced a constraint");
        assertEquals(marked, robot.lookup(".bank-mark").queryAll().size());
    }

    /** Switches a check box as a keyboard user does (it may be below the fold of the settings column). */
    private static void toggleByKeyboard(FxRobot robot, String id) {
        robot.interact(() -> robot.lookup(id).query().requestFocus());
        robot.push(KeyCode.SPACE);
    }

    @Test
    void theLookaheadAndTokenHealingControlsReachTheServicesRequest(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.promptsProperty().set("The child");
            vm.beamsProperty().set(3);
            vm.maxNewTokensProperty().set(6);
            vm.addChip(ConstraintSpec.Kind.PHRASE).values().set(0, "his mother");
        });
        waitUntil(30, () -> vm.blockReasonProperty().get() == null && vm.chips().get(0).previewProperty().get() != null);
        // the defaults are the command line's (lookahead 2, weight 1, healing off), but no-repeat n-gram 3 (CLI: 0)
        assertTrue(robot.lookup("#text-lookahead-on").queryAs(CheckBox.class).isSelected());
        assertFalse(robot.lookup("#text-token-healing").queryAs(CheckBox.class).isSelected());
        // typed as a user would: depth 3, weight 0.5, healing switched on
        robot.doubleClickOn(robot.lookup("#text-lookahead .text-field").queryAs(TextField.class));
        robot.push(KeyCode.CONTROL, KeyCode.A).write("3").push(KeyCode.ENTER);
        robot.doubleClickOn(robot.lookup("#text-lookahead-weight .text-field").queryAs(TextField.class));
        robot.push(KeyCode.CONTROL, KeyCode.A).write("0.5").push(KeyCode.ENTER);
        toggleByKeyboard(robot, "#text-token-healing");
        robot.interact(vm::generate);
        waitUntil(60, () -> vm.lastRequest() != null && !vm.runningProperty().get());
        assertEquals(new BeamSearchConfig(SearchMode.STRICT, 3, null, 6, 0, 1.0, EarlyStopping.FALSE, 1, 3, 3, 0.5,
                true), vm.lastRequest().search());

        // lookahead switched off: the service is asked for none, and depth and weight are greyed out
        toggleByKeyboard(robot, "#text-lookahead-on");
        assertTrue(robot.lookup("#text-lookahead").query().isDisabled());
        assertTrue(robot.lookup("#text-lookahead-weight").query().isDisabled());
        robot.interact(vm::generate);
        waitUntil(60, () -> vm.lastRequest() != null && !vm.runningProperty().get());
        assertEquals(new BeamSearchConfig(SearchMode.STRICT, 3, null, 6, 0, 1.0, EarlyStopping.FALSE, 1, 3, 0, 0.5,
                true), vm.lastRequest().search());
        // the outputs are the service's for exactly that request
        TextResult direct = window.services().text().run(new JobOwner("test"), vm.lastRequest(), new JobListener<>() { });
        assertArrayEquals(direct.outputs().get(0).output().tokens(), vm.results().get(0).tokens());

        // hf mode has neither: both switches are disabled
        robot.interact(() -> vm.modeProperty().set(SearchMode.HF));
        assertTrue(robot.lookup("#text-lookahead-on").query().isDisabled());
        assertTrue(robot.lookup("#text-token-healing").query().isDisabled());
    }

    @Test
    void keyboardOnlyTabLeavesThePromptAndAltArrowsReorderChips(FxRobot robot) throws Exception {
        robot.clickOn("#text-prompts").write("The child");
        robot.push(KeyCode.TAB);
        assertEquals("The child", vm.promptsProperty().get(), "Tab moves on instead of typing a tab");
        assertFalse(robot.lookup("#text-prompts").query().isFocused());
        robot.push(KeyCode.SHIFT, KeyCode.TAB);
        assertTrue(robot.lookup("#text-prompts").query().isFocused(), "Shift+Tab comes back");
        robot.clickOn("#add-phrase").write("his mother");
        robot.clickOn("#add-ban").write("the war");
        List<ConstraintChip> made = List.copyOf(vm.chips());
        // the ban's field has the keyboard: Alt+Up moves it first, and the field keeps the keyboard
        javafx.scene.control.TextField banField = fields(robot, 1).get(0);
        assertTrue(banField.isFocused());
        robot.press(KeyCode.ALT, KeyCode.UP).release(KeyCode.UP, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(made.get(1), made.get(0)), List.copyOf(vm.chips()));
        assertTrue(banField.isFocused());
        robot.write(" again");
        assertEquals("the war again", vm.chips().get(0).values().get(0));
        robot.press(KeyCode.ALT, KeyCode.DOWN).release(KeyCode.DOWN, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(made.get(0), made.get(1)), List.copyOf(vm.chips()));
    }

    @Test
    void invalidConstraintsDisableGenerateWithTheReasonInItsTooltip(FxRobot robot) throws Exception {
        robot.clickOn("#text-prompts").write("The child");
        waitUntil(10, () -> vm.blockReasonProperty().get() == null);
        robot.clickOn("#add-phrase");
        waitUntil(30, () -> vm.chips().get(0).previewProperty().get() != null);
        assertTrue(generateButton(robot).isDisabled());
        assertEquals("Phrase constraint (chip 1): Is empty. Type at least one word.",
                generateButton(robot).getTooltip().getText());
        assertTrue(robot.lookup(".chip-invalid").tryQuery().isPresent());

        robot.write("his mother");
        waitUntil(30, () -> vm.blockReasonProperty().get() == null);
        assertFalse(generateButton(robot).isDisabled());
        assertEquals("Generate for every prompt (Ctrl+Enter)", generateButton(robot).getTooltip().getText());

        // a template that cannot fit in the length budget
        robot.clickOn("#add-template").write("the _30 of");
        waitUntil(30, () -> vm.blockReasonProperty().get() != null
                && vm.blockReasonProperty().get().contains("Needs at least 32 generated tokens, but only 30"));
        assertTrue(generateButton(robot).isDisabled());
        // switched off, it no longer blocks
        robot.interact(() -> vm.chips().get(1).enabledProperty().set(false));
        waitUntil(10, () -> vm.blockReasonProperty().get() == null);

        // an option hf mode rejects: a warning in strict mode, an error in hf mode
        robot.clickOn("#add-any").write("cried");
        typeInto(robot, fields(robot, 2).get(1), "cried out");
        waitUntil(30, () -> vm.chips().get(2).previewProperty().get() != null
                && vm.chips().get(2).previewProperty().get().parts().size() == 2
                && !vm.chips().get(2).previewProperty().get().warnings().isEmpty()
                && vm.chips().get(2).previewProperty().get().warnings().stream().anyMatch(w -> w.startsWith("hf mode")));
        assertNull(vm.blockReasonProperty().get());
        robot.interact(() -> vm.modeProperty().set(SearchMode.HF));
        waitUntil(30, () -> vm.blockReasonProperty().get() != null
                && vm.blockReasonProperty().get().contains("hf mode rejects this group"));
        assertTrue(generateButton(robot).isDisabled());
    }

    @Test
    void escCancelsTheRunMidway(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.promptsProperty().set("The soldiers");
            vm.beamsProperty().set(16);
            vm.maxNewTokensProperty().set(110);
            vm.addChip(ConstraintSpec.Kind.PHRASE).values().set(0, "the enemy");
        });
        waitUntil(30, () -> vm.blockReasonProperty().get() == null && vm.chips().get(0).previewProperty().get() != null);
        robot.interact(vm::generate);
        waitUntil(60, () -> vm.progressProperty().get() > 0.02);
        robot.clickOn("#text-prompts");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitUntil(20, () -> !vm.runningProperty().get());
        assertEquals("Cancelled", vm.statusProperty().get());
        assertTrue(vm.results().isEmpty());
        assertTrue(vm.progressProperty().get() < 1);
    }

    @Test
    void aShortRunShowsNoBusyIndicationALongOneShowsThemAfterTheGraceEscCancelsAtOnce(FxRobot robot)
            throws Exception {
        robot.interact(() -> vm.promptsProperty().set("The soldiers"));
        waitUntil(30, () -> vm.blockReasonProperty().get() == null);
        Button cancel = robot.lookup("#text-cancel").queryAs(Button.class);
        javafx.scene.control.ProgressBar bar = robot.lookup("#text-progress")
                .queryAs(javafx.scene.control.ProgressBar.class);
        Label status = robot.lookup("#text-status").queryAs(Label.class);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> {
            LaneHold.record(seen, "cancel disabled", cancel.disableProperty());
            LaneHold.record(seen, "generate disabled", generateButton(robot).disableProperty());
            LaneHold.record(seen, "bar visible", bar.visibleProperty());
            LaneHold.record(seen, "status", status.textProperty());
        });
        try (LaneHold hold = new LaneHold(robot, window)) { // the panel's run waits, busy, until cancelled
            // a short run: Esc cancels it at once, within the grace; only its end shows
            robot.clickOn("#text-prompts");
            robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
            assertTrue(vm.runningProperty().get(), "Ctrl+Enter started a run");
            robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
            waitUntil(5, () -> !vm.runningProperty().get());
            Thread.sleep(dev.atelier.ui.common.Grace.DELAY_MS + 300); // a grace timer would have fired by now
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of("status Cancelled"), seen, "nothing is repainted while a short run runs");

            // a long one: Cancel, a disabled Generate, the bar and the status once it has run for the grace
            seen.clear();
            long t0 = System.nanoTime();
            robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
            waitUntil(5, () -> !cancel.isDisabled());
            assertTrue(System.nanoTime() - t0 >= dev.atelier.ui.common.Grace.DELAY_MS * 1_000_000L);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of("bar visible true", "cancel disabled false", "generate disabled true",
                    "status Starting…"), seen.stream().sorted().toList());
            robot.clickOn(cancel);
            waitUntil(5, () -> !vm.runningProperty().get());
            assertEquals("Cancelled", status.getText());
            assertTrue(cancel.isDisabled() && !bar.isVisible() && !generateButton(robot).isDisabled());
            assertTrue(vm.results().isEmpty(), "the button cancelled the run");
        }
    }

    @Test
    void severalPromptsGiveOneResultListEach(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.promptsProperty().set("The soldiers\n\nThe child\n");
            vm.beamsProperty().set(3);
            vm.numReturnProperty().set(2);
            vm.maxNewTokensProperty().set(8);
            vm.addChip(ConstraintSpec.Kind.ANY).values().setAll("he", "she");
        });
        waitUntil(30, () -> vm.blockReasonProperty().get() == null && vm.chips().get(0).previewProperty().get() != null);
        robot.clickOn("#text-generate");
        waitUntil(60, () -> !vm.results().isEmpty() && !vm.runningProperty().get());
        List<Node> groups = new ArrayList<>(robot.lookup(".result-group").queryAll());
        assertEquals(2, groups.size());
        assertEquals(0, groups.get(0).getUserData());
        assertEquals(1, groups.get(1).getUserData());
        for (Node g : groups) {
            assertEquals(2, g.lookupAll(".result-card").size());
        }
        List<TextOutput> expected = expected(List.of("The soldiers", "The child"),
                List.of(new ConstraintSpec(ConstraintSpec.Kind.ANY, List.of("he", "she"))), 3, 8, 2);
        assertEquals(expected.size(), vm.results().size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).prompt(), vm.results().get(i).prompt());
            assertArrayEquals(expected.get(i).tokens(), vm.results().get(i).tokens());
        }
        // export: the same JSON and text the command line prints for this request
        TextResult cli = service(List.of("The soldiers", "The child"),
                List.of(new ConstraintSpec(ConstraintSpec.Kind.ANY, List.of("he", "she"))), 3, 8, 2);
        Path json = dir.resolve("results-" + System.nanoTime() + ".json");
        Path txt = dir.resolve("results-" + System.nanoTime() + ".txt");
        robot.interact(() -> {
            vm.exportResults(json);
            vm.exportResults(txt);
        });
        assertEquals(cli.toJson(), new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()));
        assertEquals(4, cli.toJson().path("outputs").size());
        assertEquals(cli.report(), java.nio.file.Files.readString(txt));
    }

    @Test
    void aSavedConstraintSetLoadsBackIdenticallyAndTheCommandLineReadsIt(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.promptsProperty().set("The soldiers\nThe child");
            vm.addChip(ConstraintSpec.Kind.PHRASE).values().set(0, "the enemy");
            vm.addChip(ConstraintSpec.Kind.ANY).values().setAll("fought", "attacked", "killed");
            ConstraintChip ordered = vm.addChip(ConstraintSpec.Kind.ORDERED);
            ordered.values().setAll("the river", "the bridge");
            ordered.enabledProperty().set(false);
            ConstraintChip template = vm.addChip(ConstraintSpec.Kind.TEMPLATE);
            template.values().set(0, "the _ of _2 in");
            template.promptProperty().set(1);
            vm.addChip(ConstraintSpec.Kind.BAN).values().set(0, "the war");
        });
        ConstraintSetFile.Content before = vm.content();
        Path file = dir.resolve("set-" + System.nanoTime() + ".json");
        robot.interact(() -> vm.saveConstraints(file));
        robot.interact(() -> {
            vm.promptsProperty().set("");
            vm.chips().clear();
        });
        robot.interact(() -> window.textPanel().load(file));
        assertEquals(before, vm.content());
        assertEquals(5, robot.lookup(".chip").queryAll().size());
        assertEquals(1, robot.lookup(".chip-off").queryAll().size());
        // the command line's parser reads the prompts with exactly the constraints that run
        List<ConstraintSpec.PromptSpec> cli = ConstraintSpec.readFile(file);
        assertEquals(List.of("The soldiers", "The child"), cli.stream().map(ConstraintSpec.PromptSpec::prompt).toList());
        assertEquals(before.perPrompt(), cli.stream().map(ConstraintSpec.PromptSpec::constraints).toList());
        assertEquals(3, cli.get(0).constraints().size());
        assertEquals(4, cli.get(1).constraints().size());

        // reordering renumbers: the phrase moved after the any-of group becomes constraint 1
        robot.interact(() -> vm.moveChip(0, 1));
        assertEquals(ConstraintSpec.Kind.ANY, vm.content().perPrompt().get(0).get(0).kind());
        assertEquals(ConstraintSpec.Kind.PHRASE, vm.content().perPrompt().get(0).get(1).kind());
        List<Node> views = new ArrayList<>(robot.lookup("#constraint-chips").queryAs(javafx.scene.layout.VBox.class)
                .getChildren());
        assertSame(vm.chips().get(0), views.get(0).getUserData());
        assertSame(vm.chips().get(1), views.get(1).getUserData());
        // a drop in the lower half of the third chip puts the first chip third
        robot.interact(() -> {
            Node third = views.get(2);
            double y = third.getBoundsInParent().getMinY() + third.getBoundsInParent().getHeight() * 0.75;
            vm.moveChip(0, window.textPanel().dropIndex(y, 0));
        });
        assertEquals(List.of(ConstraintSpec.Kind.PHRASE, ConstraintSpec.Kind.ORDERED, ConstraintSpec.Kind.ANY,
                ConstraintSpec.Kind.TEMPLATE, ConstraintSpec.Kind.BAN),
                vm.chips().stream().map(ConstraintChip::kind).toList());
    }

    @Test
    void ctrl3FocusesThePromptAndTheSettingsComeBackAtTheNextStart(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        waitUntil(5, () -> robot.lookup("#text-prompts").query().isFocused());
        robot.interact(() -> {
            vm.promptsProperty().set("The soldiers\nThe child");
            vm.beamsProperty().set(7);
            vm.maxNewTokensProperty().set(21);
            vm.modeProperty().set(SearchMode.HF);
            vm.numReturnProperty().set(3);
            vm.lookaheadOnProperty().set(false);
            vm.lookaheadProperty().set(4);
            vm.lookaheadWeightProperty().set(2.5);
            vm.tokenHealingProperty().set(true);
            vm.addChip(ConstraintSpec.Kind.ANY).values().setAll("he", "she");
            vm.addChip(ConstraintSpec.Kind.BAN).promptProperty().set(1);
        });
        ConstraintSetFile.Content before = vm.content();
        Stage first = (Stage) robot.lookup("#text-panel").query().getScene().getWindow();
        robot.interact(first::hide);
        List<TextPanelViewModel> rebuilt = new ArrayList<>();
        robot.interact(() -> {
            Stage s = new Stage();
            StudioWindow w = new StudioWindow(s, store, lane);
            rebuilt.add(w.textPanel().viewModel());
        });
        TextPanelViewModel again = rebuilt.get(0);
        assertEquals(before, again.content());
        assertEquals(7, again.beamsProperty().get());
        assertEquals(21, again.maxNewTokensProperty().get());
        assertSame(SearchMode.HF, again.modeProperty().get());
        assertEquals(3, again.numReturnProperty().get());
        assertFalse(again.lookaheadOnProperty().get());
        assertEquals(4, again.lookaheadProperty().get());
        assertEquals(2.5, again.lookaheadWeightProperty().get(), 0.0);
        assertTrue(again.tokenHealingProperty().get());
        assertEquals("The soldiers\nThe child", again.promptsProperty().get());
    }

    // ---- the first view: a placeholder, a neutral hint, an example to try ----

    private Label reasonLine(FxRobot robot) {
        return robot.lookup("#text-block-reason").queryAs(Label.class);
    }

    private Node exampleButton(FxRobot robot) {
        return robot.lookup("#text-example").query();
    }

    @Test
    void aFreshPanelShowsAPlaceholderAHintNotAnErrorAndTheExampleRunsSatisfied(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        javafx.scene.control.TextArea prompts = robot.lookup("#text-prompts").queryAs(javafx.scene.control.TextArea.class);
        waitUntil(5, prompts::isFocused);
        assertEquals("", prompts.getText());
        // the placeholder shows an example, and stays readable in the focused field
        assertTrue(prompts.getPromptText().contains("The jury said"), prompts.getPromptText());
        javafx.scene.text.Text placeholder = prompts.lookupAll(".text").stream()
                .filter(n -> n instanceof javafx.scene.text.Text t && t.getText().equals(prompts.getPromptText()))
                .map(javafx.scene.text.Text.class::cast).findFirst().orElseThrow();
        assertTrue(placeholder.isVisible());
        assertTrue(((javafx.scene.paint.Color) placeholder.getFill()).getOpacity() > 0.9, "" + placeholder.getFill());
        // the missing prompt is a neutral hint pointing at the example, not an error
        Label reason = reasonLine(robot);
        assertTrue(reason.isVisible());
        assertTrue(reason.getText().contains("Example"), reason.getText());
        assertTrue(reason.getStyleClass().contains("hint"), "" + reason.getStyleClass());
        assertFalse(reason.getStyleClass().contains("block-reason"), "" + reason.getStyleClass());
        assertTrue(generateButton(robot).isDisabled());

        // the example, by mouse: a prompt and two constraints, then a run that meets both
        assertTrue(exampleButton(robot).isVisible());
        robot.clickOn("#text-example");
        assertEquals("The jury said", vm.promptsProperty().get());
        assertEquals(List.of(new ConstraintSpec(ConstraintSpec.Kind.PHRASE, List.of("the election")),
                new ConstraintSpec(ConstraintSpec.Kind.ANY, List.of("Friday", "today", "yesterday"))),
                vm.content().perPrompt().get(0));
        assertFalse(exampleButton(robot).isVisible(), "not offered over a prompt");
        assertEquals(2, robot.lookup(".chip").queryAll().size(), "the chips are shown");
        waitUntil(30, () -> vm.blockReasonProperty().get() == null
                && vm.chips().stream().allMatch(c -> c.previewProperty().get() != null));
        for (ConstraintChip c : vm.chips()) { // words the model writes whole or nearly: no warning about pieces
            assertTrue(c.previewProperty().get().warnings().stream().noneMatch(w -> w.contains("split into")),
                    c.previewProperty().get().warnings().toString());
        }
        // so the chips carry no warning, only the neutral note on how "the election" is matched (mid-text, not at
        // a line start, where "the" is another token)
        waitUntil(10, () -> !robot.lookup(".chip-note").queryAll().isEmpty());
        assertTrue(robot.lookup(".chip-warning").queryAll().isEmpty(), "no warning on the example's chips");
        assertTrue(robot.lookup(".chip-note").queryAll().stream().map(n -> ((Labeled) n).getText())
                .anyMatch(t -> t.contains("\"the election\" → ")), "the line-start note of the phrase");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitUntil(60, () -> !vm.results().isEmpty() && !vm.runningProperty().get());
        ResultItem best = vm.results().get(0);
        assertTrue(best.satisfied(), best.text());
        assertTrue(best.text().startsWith("The jury said"), best.text());
        assertTrue(best.text().contains(" the election"), best.text());
        assertTrue(java.util.regex.Pattern.compile(" (Friday|today|yesterday)").matcher(best.text()).find(), best.text());
        // the run's summary ("1 result in … s · … tokens/s") is drawn whole in the narrow column, not cut to "…"
        Label summary = robot.lookup("#text-status").queryAs(Label.class);
        waitUntil(5, () -> summary.getText().startsWith("1 result in "));
        WaitForAsyncUtils.waitForFxEvents();
        Node drawn = summary.lookup(".text");
        assertEquals(summary.getText(), drawn instanceof javafx.scene.text.Text t ? t.getText() : null);

        // once the user has worked in the panel, a missing prompt is an error
        robot.interact(() -> vm.promptsProperty().set(""));
        waitUntil(5, () -> reason.getStyleClass().contains("block-reason"));
        assertFalse(reason.getStyleClass().contains("hint"));
        assertTrue(reason.getText().startsWith("Type a prompt first"), reason.getText());
        assertFalse(exampleButton(robot).isVisible(), "the constraints are there: not offered");
    }

    @Test
    void theExampleIsReachedByKeyboardAndNeverReplacesTheUsersWork(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        waitUntil(5, () -> robot.lookup("#text-prompts").query().isFocused());
        // a prompt of the user's: no example offered, and asking for it changes nothing
        robot.write("The child");
        assertFalse(exampleButton(robot).isVisible());
        assertFalse(vm.loadExample());
        robot.press(KeyCode.ALT, KeyCode.E).release(KeyCode.E, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("The child", vm.promptsProperty().get());
        assertTrue(vm.chips().isEmpty());
        // a constraint of the user's, no prompt: the same
        robot.interact(() -> {
            vm.promptsProperty().set("");
            vm.addChip(ConstraintSpec.Kind.PHRASE).values().setAll("his mother");
        });
        assertFalse(exampleButton(robot).isVisible());
        assertFalse(vm.loadExample());
        assertEquals("", vm.promptsProperty().get());
        assertEquals(List.of("his mother"), vm.chips().get(0).values());
        // an empty panel again: Shift+Tab from the prompts reaches Example, Space fills it in
        robot.interact(() -> vm.removeChip(vm.chips().get(0)));
        assertTrue(exampleButton(robot).isVisible());
        robot.interact(() -> robot.lookup("#text-prompts").query().requestFocus());
        robot.push(KeyCode.SHIFT, KeyCode.TAB);
        assertSame(exampleButton(robot), window.scene().getFocusOwner());
        robot.push(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("The jury said", vm.promptsProperty().get());
        assertEquals(2, vm.chips().size());
        assertTrue(robot.lookup("#text-prompts").query().isFocused(), "the cursor goes to the prompt");
        // and Alt+E on an empty panel
        robot.interact(() -> {
            vm.chips().clear();
            vm.promptsProperty().set("");
        });
        robot.press(KeyCode.ALT, KeyCode.E).release(KeyCode.E, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("The jury said", vm.promptsProperty().get());
        assertEquals(2, vm.chips().size());
    }

    @Test
    void generatingWithoutAPromptTurnsTheFirstHintIntoAnError(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        waitUntil(5, () -> robot.lookup("#text-prompts").query().isFocused());
        Label reason = reasonLine(robot);
        assertTrue(reason.getStyleClass().contains("hint"));
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitUntil(5, () -> reason.getStyleClass().contains("block-reason"));
        assertTrue(vm.results().isEmpty());
        assertTrue(reason.getText().startsWith("Type a prompt first"), reason.getText());
    }
}
