package dev.atelier.ui.text;

import dev.atelier.text.BeamSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the search's beam snapshots into what the bank view draws. A beam's parent is the beam of the step
 * before whose tokens are its own minus the last; the new token's text is the difference of their decoded texts,
 * and it advanced a constraint when that constraint's matched count grew or it became met. Marks of a partial
 * match that a later token broke are dropped, so the marks show the matches that stand. Snapshots arrive one
 * step at a time (the lane may drop some while the window is busy: then a beam's unknown tokens show as
 * {@code …} until the run's full list of steps replaces them).
 */
final class BankSteps {
    private final List<String> promptTexts;
    private final List<int[]> colours;
    private final List<BankStep> steps = new ArrayList<>();
    /** the converted beams of each prompt's last step, by their tokens */
    private final Map<Integer, Map<List<Integer>, BankStep.Beam>> last = new HashMap<>();
    private final Map<Integer, Boolean> done = new HashMap<>();

    /**
     * @param promptTexts the prompts as typed (to find where the first generated token's text starts)
     * @param colours per prompt, the chip colour of each constraint number
     */
    BankSteps(List<String> promptTexts, List<int[]> colours) {
        this.promptTexts = promptTexts;
        this.colours = colours;
    }

    /** @return every step converted so far, in order (per snapshot: its prompts in order) */
    List<BankStep> steps() {
        return steps;
    }

    /**
     * Converts one snapshot (later than every one before).
     *
     * @return the steps it adds, one per prompt still searching (or finishing at this step)
     */
    List<BankStep> add(BeamSnapshot s) {
        List<BankStep> added = new ArrayList<>();
        for (BeamSnapshot.Prompt p : s.prompts()) {
            if (done.getOrDefault(p.prompt(), false)) {
                continue;
            }
            done.put(p.prompt(), p.done());
            Map<List<Integer>, BankStep.Beam> parents = last.getOrDefault(p.prompt(), Map.of());
            Map<List<Integer>, BankStep.Beam> now = new HashMap<>();
            List<BankStep.Beam> beams = new ArrayList<>();
            int constraints = 0;
            for (BeamSnapshot.Beam b : p.beams()) {
                constraints = b.constraints().size();
                BankStep.Beam converted = beam(p.prompt(), b, parents);
                beams.add(converted);
                now.put(key(b.tokens()), converted);
            }
            last.put(p.prompt(), now);
            int[] cs = p.prompt() < colours.size() ? colours.get(p.prompt()) : new int[0];
            BankStep step = new BankStep(p.prompt(), s.step(), s.maxSteps(), List.copyOf(beams), cs, constraints);
            steps.add(step);
            added.add(step);
        }
        return added;
    }

    private BankStep.Beam beam(int prompt, BeamSnapshot.Beam b, Map<List<Integer>, BankStep.Beam> parents) {
        int generated = b.tokens().length - b.promptLength();
        List<String> pieces = new ArrayList<>();
        int[] advancedBy = new int[generated];
        Arrays.fill(advancedBy, -1);
        BankStep.Beam parent = generated > 0
                ? parents.get(key(Arrays.copyOf(b.tokens(), b.tokens().length - 1))) : null;
        String text = b.text() == null ? "" : b.text();
        if (parent != null) {
            pieces.addAll(parent.pieces());
            System.arraycopy(parent.advancedBy(), 0, advancedBy, 0, parent.advancedBy().length);
            String before = parent.text();
            pieces.add(text.startsWith(before) ? text.substring(before.length()) : "…");
            advancedBy[generated - 1] = advanced(b, parent);
        } else if (generated > 0) {
            // first step (the parent is the prompt), or the steps in between were not received
            String start = promptStart(prompt, text);
            for (int k = 0; k < generated - 1; k++) {
                pieces.add("…");
            }
            pieces.add(start != null && generated == 1 ? text.substring(start.length()) : "…");
            if (generated == 1) {
                advancedBy[0] = advanced(b, null);
            }
        }
        forgetBrokenMatches(b, advancedBy);
        int met = 0;
        List<Integer> matched = new ArrayList<>();
        List<Boolean> metFlags = new ArrayList<>();
        for (BeamSnapshot.Progress pr : b.constraints()) {
            met += pr.met() ? 1 : 0;
            matched.add(pr.matched());
            metFlags.add(pr.met());
        }
        return new BankStep.Beam(List.copyOf(pieces), advancedBy, met, b.bank(), b.score(), text,
                b.constraints().stream().map(BeamSnapshot.Progress::constraint).toList(), matched, metFlags);
    }

    /**
     * Keeps the marks that still count: a constraint with {@code matched} tokens matched keeps its newest
     * {@code matched} marks; older ones belong to partial matches a later token broke.
     */
    private static void forgetBrokenMatches(BeamSnapshot.Beam b, int[] advancedBy) {
        for (BeamSnapshot.Progress pr : b.constraints()) {
            int keep = pr.matched();
            for (int k = advancedBy.length - 1; k >= 0; k--) {
                if (advancedBy[k] == pr.constraint()) {
                    if (keep > 0) {
                        keep--;
                    } else {
                        advancedBy[k] = -1;
                    }
                }
            }
        }
    }

    /** @return the number of the constraint the beam's last token advanced (its matched count grew or it was met) */
    private static int advanced(BeamSnapshot.Beam b, BankStep.Beam parent) {
        for (int i = 0; i < b.constraints().size(); i++) {
            BeamSnapshot.Progress pr = b.constraints().get(i);
            int before = parent == null ? 0 : parent.matched().get(i);
            boolean wasMet = parent != null && parent.metFlags().get(i);
            if (!wasMet && (pr.met() || pr.matched() > before)) {
                return pr.constraint();
            }
        }
        return -1;
    }

    /** @return the decoded prompt at the start of {@code text} (as typed, or with single spaces), or null */
    private String promptStart(int prompt, String text) {
        if (prompt >= promptTexts.size()) {
            return null;
        }
        String typed = promptTexts.get(prompt);
        for (String candidate : new String[] {typed, typed.strip(), String.join(" ", typed.strip().split("\\s+"))}) {
            if (text.startsWith(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static List<Integer> key(int[] tokens) {
        List<Integer> k = new ArrayList<>(tokens.length);
        for (int t : tokens) {
            k.add(t);
        }
        return k;
    }
}
