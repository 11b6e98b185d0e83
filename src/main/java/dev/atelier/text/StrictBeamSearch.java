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
 *
 * <p>With {@link Lookahead} (while some candidate has constraints to meet), the round robin first takes a
 * shortlist of 2·num_beams candidates; the decoder advances to all of them (their rows serve as the next step's
 * rows for the ones kept, so depth 1 costs only the extra rows; depth 2 adds one row per candidate, peeked at without
 * copying the cache), the lookahead estimates what each one's unmet
 * constraints will still cost, and the beams are the num_beams best by score + weight · estimate across banks (A*),
 * with the best of the highest bank always among them. The round robin alone keeps a share of the beams for
 * candidates that put their constraints off; they never pay for it until the length budget forces the constraints
 * in at the end, where the truncated text hides what they disturb, so their outputs win and the constraints land
 * late (docs/BENCHMARKS.md). Charged now for what they will pay, they no longer crowd out the beams that met the
 * constraints where they fit. With
 * {@link TokenHealing}, a prompt starts without its last token and its first generated token is one of the tokens
 * extending it; constraints are matched from the token after it.
 */
public final class StrictBeamSearch {
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
        /** the candidate this beam was made from, whose decoder row it takes once the decoder has advanced */
        Candidate origin;

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
        /** the prompt as given, and its healing plan (the search starts from the healed prompt) */
        int[] original;
        TokenHealing healing = TokenHealing.NONE;
        /** candidates kept for the lookahead's re-ranking this step, or null */
        List<Candidate> shortlist;
        List<Beam> beams = new ArrayList<>();
        final List<Finished> hyps = new ArrayList<>();
        double worst = Double.POSITIVE_INFINITY;
        List<Beam> last = List.of();
        boolean done;
        int added;

        /** @return the index in the output of the first token the constraints see (after a healed token) */
        int trackedFrom() {
            return promptLength + (healing.active() ? 1 : 0);
        }

        /**
         * @return how many of {@code seq}'s tokens are the prompt's ids as given: all of them when healing kept the
         *     prompt's last token, one fewer when it chose a longer one
         */
        int promptLengthOf(int[] seq) {
            return healing.active() && seq.length > promptLength && seq[promptLength] == original[promptLength]
                    ? original.length : promptLength;
        }

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

    /** Atelier's strict constrained search; called by {@code text.search.BeamSearch}, which checks its inputs first. */
    public static List<TextOutput> run(LanguageModel lm, Tokenizer healingTokenizer, List<int[]> prompts,
            List<ConstraintSet> sets, int[] maxNew, BeamSearchConfig cfg, StepListener listener,
            Consumer<BeamSnapshot> snapshots) {
        return new StrictBeamSearch(lm, cfg).search(prompts, cfg.tokenHealing() ? healingTokenizer : null, sets,
                maxNew, listener, snapshots);
    }

    /** Candidates per beam that the lookahead scores and re-ranks (the round robin's first choices). */
    static final int SHORTLIST_PER_BEAM = 2;

    private List<TextOutput> search(List<int[]> prompts, Tokenizer healer, List<ConstraintSet> sets, int[] maxNew,
            StepListener listener, Consumer<BeamSnapshot> snapshots) {
        int n = prompts.size();
        List<Prompt> states = new ArrayList<>();
        int[][] starts = new int[n][];
        int maxSteps = 0;
        for (int i = 0; i < n; i++) {
            TokenHealing heal = TokenHealing.plan(prompts.get(i), healer);
            starts[i] = heal.active() ? heal.prompt() : prompts.get(i).clone();
            // A healed prompt re-generates its last token: one more step, same total length.
            Prompt p = new Prompt(i, starts[i].length, maxNew[i] + (heal.active() ? 1 : 0));
            p.original = prompts.get(i);
            p.healing = heal;
            ConstraintTracker t = new ConstraintTracker(sets.get(i));
            Beam b = new Beam(starts[i].clone(), 0, 0.0, t, t.bank());
            b.row = i;
            p.beams.add(b);
            states.add(p);
            maxSteps = Math.max(maxSteps, p.maxNew);
        }
        Lookahead lookahead = cfg.lookahead() > 0 && cfg.lookaheadWeight() > 0
                ? new Lookahead(cfg.lookahead(), eos, pad) : null;
        TopK top = new TopK(2 * cfg.numBeams());
        try (LanguageModel.Decoder decoder = lm.start(starts)) {
            float[][] lp = null;
            for (int step = 0; step < maxSteps; step++) {
                listener.onStep(step, maxSteps);
                if (lp == null) {
                    lp = decoder.checkedLogProbs();
                }
                List<Candidate> rows = new ArrayList<>();
                List<Beam> waiting = new ArrayList<>();
                List<Prompt> looking = new ArrayList<>();
                for (Prompt p : states) {
                    if (p.done) {
                        continue;
                    }
                    List<Candidate> cands = expand(p, lp, top);
                    if (lookahead != null && wantsLookahead(p, cands)) {
                        // Score a shortlist first (its rows are decoded anyway), re-rank it after the decoder step.
                        p.shortlist = selectRoundRobin(cands, SHORTLIST_PER_BEAM * cfg.numBeams());
                        rows.addAll(p.shortlist);
                        looking.add(p);
                        continue;
                    }
                    List<Beam> next = beamsOf(p, selectRoundRobin(cands, cfg.numBeams()));
                    finishStep(p, next);
                    if (!p.done) {
                        for (Beam b : next) {
                            rows.add(b.origin);
                        }
                        waiting.addAll(next);
                    }
                }
                if (rows.isEmpty()) {
                    if (snapshots != null) {
                        snapshots.accept(snapshot(step + 1, maxSteps, states));
                    }
                    break;
                }
                int[] parents = new int[rows.size()];
                int[] tokens = new int[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    Candidate c = rows.get(r);
                    parents[r] = c.parentRow;
                    tokens[r] = c.token;
                    c.row = r;
                }
                decoder.advance(parents, tokens);
                lp = null;
                for (Beam b : waiting) {
                    b.row = b.origin.row;
                }
                if (!looking.isEmpty()) {
                    lp = decoder.checkedLogProbs();
                    rerank(decoder, lp, lookahead, looking);
                }
                if (snapshots != null) {
                    snapshots.accept(snapshot(step + 1, maxSteps, states));
                }
            }
        }
        List<TextOutput> out = new ArrayList<>();
        for (Prompt p : states) {
            out.addAll(outputs(p));
        }
        return out;
    }

    /** Lookahead pays off while some candidate has constraints to meet and there is a next step to meet them in. */
    private static boolean wantsLookahead(Prompt p, List<Candidate> cands) {
        if (p.beams.get(0).generated + 1 >= p.maxNew) {
            return false;
        }
        for (Candidate c : cands) {
            if (!c.tracker.satisfied()) {
                return true;
            }
        }
        return false;
    }

    /** Adds the weighted lookahead estimate to each shortlisted candidate's rank and selects the beams. */
    private void rerank(LanguageModel.Decoder decoder, float[][] lp, Lookahead lookahead, List<Prompt> looking) {
        List<Candidate> all = new ArrayList<>();
        for (Prompt p : looking) {
            all.addAll(p.shortlist);
        }
        int[] rows = new int[all.size()];
        ConstraintTracker[] trackers = new ConstraintTracker[all.size()];
        int[] left = new int[all.size()];
        int at = 0;
        for (Prompt p : looking) {
            for (Candidate c : p.shortlist) {
                rows[at] = c.row;
                trackers[at] = c.tracker;
                left[at] = p.maxNew - p.beams.get(c.parent).generated - 1;
                at++;
            }
        }
        double[] h = lookahead.estimate(decoder, lp, rows, trackers, left, (low, high) -> worthRollingOut(looking, low, high));
        int k = 0;
        for (Prompt p : looking) {
            List<Candidate> shortlist = p.shortlist;
            p.shortlist = null;
            for (int i = 0; i < shortlist.size(); i++) {
                Candidate c = shortlist.get(i);
                c.rank = c.sum + cfg.lookaheadWeight() * h[k + i];
            }
            k += shortlist.size();
            List<Beam> next = beamsOf(p, selectAStar(shortlist, cfg.numBeams()));
            for (Beam b : next) {
                b.row = b.origin.row;
            }
            finishStep(p, next);
        }
    }

    /**
     * Which shortlisted candidates need a deeper estimate, given the bounds of their estimates from depth 1: one
     * whose best possible rank (score + weight · upper bound) is below the num_beams-th best lowest rank of its
     * prompt cannot be among the beams; one whose lowest rank is above the (num_beams + 1)-th best possible rank
     * is among them whatever the rollout finds; and a prompt with no more candidates than beams keeps them all.
     * Rolling out only the rest gives the same beams.
     */
    private boolean[] worthRollingOut(List<Prompt> looking, double[] low, double[] high) {
        boolean[] worth = new boolean[low.length];
        int limit = cfg.numBeams();
        double w = cfg.lookaheadWeight();
        int k = 0;
        for (Prompt p : looking) {
            List<Candidate> shortlist = p.shortlist;
            int n = shortlist.size();
            if (n > limit) {
                double[] lower = new double[n];
                double[] upper = new double[n];
                for (int i = 0; i < n; i++) {
                    lower[i] = shortlist.get(i).sum + w * low[k + i];
                    upper[i] = shortlist.get(i).sum + w * high[k + i];
                }
                double[] sortedLower = lower.clone();
                double[] sortedUpper = upper.clone();
                Arrays.sort(sortedLower);
                Arrays.sort(sortedUpper);
                double out = sortedLower[n - limit];
                double in = sortedUpper[n - limit - 1];
                for (int i = 0; i < n; i++) {
                    worth[k + i] = upper[i] >= out && lower[i] <= in;
                }
            }
            k += n;
        }
        return worth;
    }

    /**
     * The A*-style choice: the best {@code limit} by rank (score + weight · estimate) across banks, so that a
     * candidate that has not met its constraints yet is charged now for meeting them later; and the best candidate
     * of the highest bank always, so that progress is never lost.
     */
    private static List<Candidate> selectAStar(List<Candidate> shortlist, int limit) {
        List<Candidate> chosen = selectByRank(new ArrayList<>(shortlist), limit);
        Candidate top = null;
        for (Candidate c : shortlist) {
            if (top == null || c.bank > top.bank || c.bank == top.bank && c.sum > top.sum) {
                top = c;
            }
        }
        if (top != null && !chosen.contains(top)) {
            chosen.set(chosen.size() - 1, top);
        }
        return chosen;
    }

    private static List<Candidate> selectByRank(List<Candidate> cands, int limit) {
        cands.sort((x, y) -> {
            int c = Double.compare(y.rank, x.rank);
            if (c != 0) {
                return c;
            }
            if (x.bank != y.bank) {
                return x.bank > y.bank ? -1 : 1;
            }
            return x.parent != y.parent ? Integer.compare(x.parent, y.parent) : Integer.compare(x.token, y.token);
        });
        return new ArrayList<>(cands.subList(0, Math.min(limit, cands.size())));
    }

    private static List<Beam> beamsOf(Prompt p, List<Candidate> chosen) {
        List<Beam> next = new ArrayList<>(chosen.size());
        for (Candidate c : chosen) {
            Beam parent = p.beams.get(c.parent);
            Beam nb = new Beam(LogitRules.append(parent.seq, c.token), parent.generated + 1, c.sum, c.tracker, c.bank);
            nb.origin = c;
            next.add(nb);
        }
        return next;
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

    /** @return the candidates of this step: the best continuations plus the tokens that advance constraints */
    private List<Candidate> expand(Prompt p, float[][] lp, TopK top) {
        top.clear();
        List<Beam> beams = p.beams;
        // The first token of a healed prompt: one of the tokens extending the backed-up one. It holds prompt text,
        // so the constraints do not see it and EOS cannot come yet.
        boolean healStep = p.healing.active() && beams.get(0).generated == 0;
        int[][] noRepeat = new int[beams.size()][];
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
            noRepeat[bi] = LogitRules.noRepeatBanned(b.seq, b.seq.length, cfg.noRepeatNgram());
            if (healStep) {
                for (int t : p.healing.firstTokens()) {
                    double sc = b.sum + row[t];
                    if (row[t] != Float.NEGATIVE_INFINITY && t != eos && top.accepts(sc, bi, t)
                            && (t != pad || pad == eos) && !LogitRules.contains(noRepeat[bi], t)) {
                        top.offer(sc, bi, t);
                    }
                }
                continue;
            }
            if (b.tracker.satisfied() && b.seq.length >= cfg.minLength()) {
                float s = row[eos];
                if (s != Float.NEGATIVE_INFINITY && !LogitRules.contains(noRepeat[bi], eos) && !b.tracker.isBanned(eos)) {
                    p.addHyp(LogitRules.append(b.seq, eos), score(b.sum + s, b.generated + 1), b.tracker);
                }
            }
            for (int t = 0; t < vocab; t++) {
                float s = row[t];
                if (s == Float.NEGATIVE_INFINITY || t == eos) {
                    continue;
                }
                double sc = b.sum + s;
                if (!top.accepts(sc, bi, t) || !allowed(b, noRepeat[bi], t)) {
                    continue;
                }
                top.offer(sc, bi, t);
            }
        }
        top.sortBestFirst();
        int nTop = top.size();
        List<Candidate> cands = new ArrayList<>(nTop + 4 * beams.size());
        for (int i = 0; i < nTop; i++) {
            cands.add(candidate(beams.get(top.beam(i)), top.beam(i), top.token(i), top.score(i), !healStep));
        }
        if (healStep) {
            return cands;
        }
        for (int bi = 0; bi < beams.size(); bi++) {
            Beam b = beams.get(bi);
            for (int t : b.tracker.advanceTokens()) {
                if (t == eos || t < 0 || t >= vocab || lp[b.row][t] == Float.NEGATIVE_INFINITY
                        || !allowed(b, noRepeat[bi], t) || inTop(top, nTop, bi, t)) {
                    continue;
                }
                cands.add(candidate(b, bi, t, b.sum + lp[b.row][t], true));
            }
        }
        return cands;
    }

    /** A continuation under consideration: its constraint state is computed, its token array not yet. */
    private static final class Candidate {
        final int parent;
        final int parentRow;
        final int token;
        final double sum;
        final ConstraintTracker tracker;
        final int bank;
        /** the ranking score within its bank: the sum, plus the weighted lookahead estimate when there is one */
        double rank;
        /** its row in the decoder once the decoder has advanced */
        int row = -1;

        Candidate(int parent, int parentRow, int token, double sum, ConstraintTracker tracker) {
            this.parent = parent;
            this.parentRow = parentRow;
            this.token = token;
            this.sum = sum;
            this.rank = sum;
            this.tracker = tracker;
            this.bank = tracker.bank();
        }
    }

    private static Candidate candidate(Beam parent, int parentIndex, int token, double sum, boolean track) {
        ConstraintTracker tr = parent.tracker;
        if (track) {
            tr = tr.copy();
            tr.accept(token);
        }
        return new Candidate(parentIndex, parent.row, token, sum, tr);
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

    /**
     * Orders by (bank desc, rank desc, parent beam, token), then takes the best of each bank in turn.
     *
     * @param limit how many to take
     */
    private static List<Candidate> selectRoundRobin(List<Candidate> cands, int limit) {
        cands.sort((x, y) -> {
            if (x.bank != y.bank) {
                return x.bank > y.bank ? -1 : 1;
            }
            int c = Double.compare(y.rank, x.rank);
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
        List<Candidate> out = new ArrayList<>(limit);
        for (int r = 0; r <= maxRank && out.size() < limit; r++) {
            for (int i = 0; i < n && out.size() < limit; i++) {
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
            out.add(new TextOutput(p.index, out.size(), f.seq, p.promptLengthOf(f.seq), f.score, f.tracker.satisfied(),
                    f.tracker.matches(p.trackedFrom())));
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
                if (b.generated == 0) {
                    // Nothing could be generated: the prompt as given (not a backed-up one) and score −∞.
                    out.add(new TextOutput(p.index, out.size(), p.original.clone(), p.original.length,
                            Double.NEGATIVE_INFINITY, b.tracker.satisfied(), b.tracker.matches(p.original.length)));
                    continue;
                }
                out.add(new TextOutput(p.index, out.size(), b.seq, p.promptLengthOf(b.seq), score(b.sum, b.generated),
                        b.tracker.satisfied(), b.tracker.matches(p.trackedFrom())));
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
