package dev.atelier.text;

import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.ConstraintTracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Atelier's constrained beam search (strict mode). Per step and prompt: the top 2·num_beams continuations of all
 * beams plus, for every beam, the tokens that advance its constraints; each candidate's constraint state is the
 * parent's advanced by one token (no replay); candidates are ranked by (bank, score, beam, token) and taken
 * round-robin over banks. EOS is offered for every beam whose constraints are satisfied and blocked for the
 * others; banned phrases, repeated n-grams, the pad token and −∞ scores never enter a beam.
 */
final class StrictBeamSearch {
    private final LanguageModel lm;
    private final BeamSearchConfig cfg;
    private final int vocab;
    private final int eos;
    private final int pad;

    private StrictBeamSearch(LanguageModel lm, BeamSearchConfig cfg) {
        this.lm = lm;
        this.cfg = cfg;
        this.vocab = lm.vocabSize();
        this.eos = lm.eosId();
        this.pad = lm.padId();
    }

    private static final class Beam {
        final int[] seq;
        final int generated;
        final double sum;
        final ConstraintTracker tracker;
        final int bank;
        int row;
        int parentRow;

        Beam(int[] seq, int generated, double sum, ConstraintTracker tracker, int bank) {
            this.seq = seq;
            this.generated = generated;
            this.sum = sum;
            this.tracker = tracker;
            this.bank = bank;
        }
    }

    private static final class Finished {
        final int[] seq;
        final double score;
        final ConstraintTracker tracker;
        final int order;

        Finished(int[] seq, double score, ConstraintTracker tracker, int order) {
            this.seq = seq;
            this.score = score;
            this.tracker = tracker;
            this.order = order;
        }
    }

    private final class Prompt {
        final int index;
        final int promptLength;
        final int maxNew;
        List<Beam> beams = new ArrayList<>();
        final List<Finished> hyps = new ArrayList<>();
        double worst = Double.POSITIVE_INFINITY;
        List<Beam> last = List.of();
        boolean done;
        int added;

        Prompt(int index, int promptLength, int maxNew) {
            this.index = index;
            this.promptLength = promptLength;
            this.maxNew = maxNew;
        }

        /** Keeps the best num_beams satisfied finished sequences (ties: the earlier one stays). */
        void addHyp(int[] seq, double score, ConstraintTracker tracker) {
            if (hyps.size() >= cfg.numBeams() && !(score > worst)) {
                return;
            }
            hyps.add(new Finished(seq, score, tracker, added++));
            if (hyps.size() > cfg.numBeams()) {
                int w = 0;
                for (int i = 1; i < hyps.size(); i++) {
                    Finished a = hyps.get(i);
                    Finished b = hyps.get(w);
                    if (a.score < b.score || a.score == b.score && a.order > b.order) {
                        w = i;
                    }
                }
                hyps.remove(w);
            }
            worst = Double.POSITIVE_INFINITY;
            for (Finished f : hyps) {
                worst = Math.min(worst, f.score);
            }
        }
    }

    private double score(double sum, int generated) {
        return sum / Math.pow(generated, cfg.lengthPenalty());
    }

    static List<TextOutput> run(LanguageModel lm, List<int[]> prompts, List<ConstraintSet> sets, int[] maxNew,
            BeamSearchConfig cfg, BeamSearch.StepListener listener, Consumer<BeamSnapshot> snapshots) {
        return new StrictBeamSearch(lm, cfg).search(prompts, sets, maxNew, listener, snapshots);
    }

    private List<TextOutput> search(List<int[]> prompts, List<ConstraintSet> sets, int[] maxNew,
            BeamSearch.StepListener listener, Consumer<BeamSnapshot> snapshots) {
        int n = prompts.size();
        List<Prompt> states = new ArrayList<>();
        int maxSteps = 0;
        for (int i = 0; i < n; i++) {
            Prompt p = new Prompt(i, prompts.get(i).length, maxNew[i]);
            ConstraintTracker t = new ConstraintTracker(sets.get(i));
            Beam b = new Beam(prompts.get(i).clone(), 0, 0.0, t, t.bank());
            b.row = i;
            p.beams.add(b);
            states.add(p);
            maxSteps = Math.max(maxSteps, maxNew[i]);
        }
        TopK top = new TopK(2 * cfg.numBeams());
        try (LanguageModel.Decoder decoder = lm.start(prompts.toArray(new int[0][]))) {
            for (int step = 0; step < maxSteps; step++) {
                listener.onStep(step, maxSteps);
                float[][] lp = decoder.checkedLogProbs();
                List<Beam> rows = new ArrayList<>();
                for (Prompt p : states) {
                    if (p.done) {
                        continue;
                    }
                    List<Beam> next = expand(p, lp, top);
                    finishStep(p, next);
                    if (!p.done) {
                        rows.addAll(next);
                    }
                }
                if (snapshots != null) {
                    snapshots.accept(snapshot(step + 1, maxSteps, states));
                }
                if (rows.isEmpty()) {
                    break;
                }
                int[] parents = new int[rows.size()];
                int[] tokens = new int[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    Beam b = rows.get(r);
                    parents[r] = b.parentRow;
                    tokens[r] = b.seq[b.seq.length - 1];
                    b.row = r;
                }
                decoder.advance(parents, tokens);
            }
        }
        List<TextOutput> out = new ArrayList<>();
        for (Prompt p : states) {
            out.addAll(outputs(p));
        }
        return out;
    }

    /** The live beams of every prompt (a finished prompt's last ones), for listeners; built only when asked. */
    private BeamSnapshot snapshot(int step, int maxSteps, List<Prompt> states) {
        List<BeamSnapshot.Prompt> prompts = new ArrayList<>(states.size());
        for (Prompt p : states) {
            List<Beam> live = p.done ? p.last : p.beams;
            List<BeamSnapshot.Beam> beams = new ArrayList<>(live.size());
            for (Beam b : live) {
                ConstraintTracker t = b.tracker;
                List<BeamSnapshot.Progress> progress = new ArrayList<>(t.requiredCount());
                for (int i = 0; i < t.requiredCount(); i++) {
                    progress.add(new BeamSnapshot.Progress(t.requiredNumber(i), t.matched(i), t.length(i),
                            t.isComplete(i)));
                }
                beams.add(new BeamSnapshot.Beam(b.seq, p.promptLength, b.generated == 0 ? Double.NEGATIVE_INFINITY
                        : score(b.sum, b.generated), b.bank, t.satisfied(), List.copyOf(progress), null));
            }
            prompts.add(new BeamSnapshot.Prompt(p.index, p.done, p.hyps.size(), List.copyOf(beams)));
        }
        return new BeamSnapshot(step, maxSteps, List.copyOf(prompts));
    }

    private List<Beam> expand(Prompt p, float[][] lp, TopK top) {
        top.clear();
        List<Beam> beams = p.beams;
        int[][] banned = new int[beams.size()][];
        // Scan the best beams first: the heap's threshold rises early and most later tokens are rejected by one
        // comparison. The result does not depend on the order (ties break on beam index, not arrival).
        Integer[] scanOrder = new Integer[beams.size()];
        for (int i = 0; i < scanOrder.length; i++) {
            scanOrder[i] = i;
        }
        Arrays.sort(scanOrder, (x, y) -> Double.compare(beams.get(y).sum, beams.get(x).sum));
        for (int bi : scanOrder) {
            Beam b = beams.get(bi);
            float[] row = lp[b.row];
            banned[bi] = LogitRules.noRepeatBanned(b.seq, b.seq.length, cfg.noRepeatNgram());
            if (b.tracker.satisfied() && b.seq.length >= cfg.minLength()) {
                float s = row[eos];
                if (s != Float.NEGATIVE_INFINITY && !LogitRules.contains(banned[bi], eos) && !b.tracker.isBanned(eos)) {
                    p.addHyp(LogitRules.append(b.seq, eos), score(b.sum + s, b.generated + 1), b.tracker);
                }
            }
            for (int t = 0; t < vocab; t++) {
                float s = row[t];
                if (s == Float.NEGATIVE_INFINITY || t == eos) {
                    continue;
                }
                double sc = b.sum + s;
                if (!top.accepts(sc, bi, t) || !allowed(b, banned[bi], t)) {
                    continue;
                }
                top.offer(sc, bi, t);
            }
        }
        top.sortBestFirst();
        int nTop = top.size();
        List<Candidate> cands = new ArrayList<>(nTop + 4 * beams.size());
        for (int i = 0; i < nTop; i++) {
            cands.add(candidate(beams.get(top.beam(i)), top.beam(i), top.token(i), top.score(i)));
        }
        for (int bi = 0; bi < beams.size(); bi++) {
            Beam b = beams.get(bi);
            for (int t : b.tracker.advanceTokens()) {
                if (t == eos || t < 0 || t >= vocab || lp[b.row][t] == Float.NEGATIVE_INFINITY
                        || !allowed(b, banned[bi], t) || inTop(top, nTop, bi, t)) {
                    continue;
                }
                cands.add(candidate(b, bi, t, b.sum + lp[b.row][t]));
            }
        }
        List<Candidate> chosen = selectRoundRobin(cands);
        List<Beam> next = new ArrayList<>(chosen.size());
        for (Candidate c : chosen) {
            Beam parent = beams.get(c.parent);
            Beam nb = new Beam(LogitRules.append(parent.seq, c.token), parent.generated + 1, c.sum, c.tracker, c.bank);
            nb.parentRow = parent.row;
            next.add(nb);
        }
        return next;
    }

    /** A continuation under consideration: its constraint state is computed, its token array not yet. */
    private static final class Candidate {
        final int parent;
        final int token;
        final double sum;
        final ConstraintTracker tracker;
        final int bank;

        Candidate(int parent, int token, double sum, ConstraintTracker tracker) {
            this.parent = parent;
            this.token = token;
            this.sum = sum;
            this.tracker = tracker;
            this.bank = tracker.bank();
        }
    }

    private static Candidate candidate(Beam parent, int parentIndex, int token, double sum) {
        ConstraintTracker tr = parent.tracker.copy();
        tr.accept(token);
        return new Candidate(parentIndex, token, sum, tr);
    }

    private static boolean inTop(TopK top, int n, int beam, int token) {
        for (int i = 0; i < n; i++) {
            if (top.beam(i) == beam && top.token(i) == token) {
                return true;
            }
        }
        return false;
    }

    private boolean allowed(Beam b, int[] noRepeat, int t) {
        return (t != pad || pad == eos) && !LogitRules.contains(noRepeat, t) && !b.tracker.isBanned(t);
    }

    /** Orders by (bank desc, score desc, parent beam, token), then takes the best of each bank in turn. */
    private List<Candidate> selectRoundRobin(List<Candidate> cands) {
        cands.sort((x, y) -> {
            if (x.bank != y.bank) {
                return x.bank > y.bank ? -1 : 1;
            }
            int c = Double.compare(y.sum, x.sum);
            if (c != 0) {
                return c;
            }
            return x.parent != y.parent ? Integer.compare(x.parent, y.parent) : Integer.compare(x.token, y.token);
        });
        int n = cands.size();
        int[] rankInBank = new int[n];
        int maxRank = 0;
        for (int i = 1; i < n; i++) {
            rankInBank[i] = cands.get(i).bank == cands.get(i - 1).bank ? rankInBank[i - 1] + 1 : 0;
            maxRank = Math.max(maxRank, rankInBank[i]);
        }
        // Round robin: rank 0 of every bank (banks in descending order), then rank 1, and so on.
        List<Candidate> out = new ArrayList<>(cfg.numBeams());
        for (int r = 0; r <= maxRank && out.size() < cfg.numBeams(); r++) {
            for (int i = 0; i < n && out.size() < cfg.numBeams(); i++) {
                if (rankInBank[i] == r) {
                    out.add(cands.get(i));
                }
            }
        }
        return out;
    }

    private void finishStep(Prompt p, List<Beam> next) {
        if (next.isEmpty()) {
            p.last = p.beams;
            p.beams = next;
            p.done = true;
            return;
        }
        p.beams = next;
        int generated = next.get(0).generated;
        if (generated >= p.maxNew) {
            for (Beam b : next) {
                if (b.tracker.satisfied()) {
                    p.addHyp(b.seq, score(b.sum, b.generated), b.tracker);
                }
            }
            p.last = next;
            p.done = true;
            return;
        }
        if (p.hyps.size() < cfg.numBeams()) {
            return;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (Beam b : next) {
            best = Math.max(best, b.sum);
        }
        boolean done;
        switch (cfg.earlyStopping()) {
            case TRUE:
                done = true;
                break;
            case FALSE:
                done = score(best, generated) <= p.worst;
                break;
            default:
                done = score(best, cfg.lengthPenalty() > 0 ? p.maxNew : generated) <= p.worst;
                break;
        }
        if (done) {
            p.last = next;
            p.done = true;
        }
    }

    private List<TextOutput> outputs(Prompt p) {
        List<Finished> hyps = new ArrayList<>(p.hyps);
        hyps.sort(Comparator.<Finished>comparingDouble(f -> -f.score).thenComparingInt(f -> f.order));
        List<TextOutput> out = new ArrayList<>();
        Set<List<Integer>> taken = new HashSet<>();
        for (Finished f : hyps) {
            if (out.size() == cfg.numReturn()) {
                break;
            }
            taken.add(asList(f.seq));
            out.add(new TextOutput(p.index, out.size(), f.seq, p.promptLength, f.score, f.tracker.satisfied(),
                    f.tracker.matches(p.promptLength)));
        }
        if (out.size() < cfg.numReturn()) {
            // Too few satisfied outputs: add the best remaining sequences, flagged by their own state.
            List<Beam> rest = new ArrayList<>(p.last);
            rest.sort(Comparator.<Beam>comparingInt(b -> b.tracker.satisfied() ? 0 : 1)
                    .thenComparingInt(b -> -b.bank)
                    .thenComparingDouble(b -> -score(b.sum, b.generated)));
            for (Beam b : rest) {
                if (out.size() == cfg.numReturn()) {
                    break;
                }
                if (!taken.add(asList(b.seq))) {
                    continue;
                }
                double s = b.generated == 0 ? Double.NEGATIVE_INFINITY : score(b.sum, b.generated);
                out.add(new TextOutput(p.index, out.size(), b.seq, p.promptLength, s, b.tracker.satisfied(),
                        b.tracker.matches(p.promptLength)));
            }
        }
        return out;
    }

    private static List<Integer> asList(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int v : a) {
            l.add(v);
        }
        return l;
    }
}
