package dev.atelier.text.hf;

import dev.atelier.text.StepListener;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.LogitRules;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.Constraint;
import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.ConstraintTracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * transformers 4.57 constrained beam search ({@code ConstrainedBeamSearchScorer} with the generation loop of
 * {@code _constrained_beam_search}), reproduced step for step in float32 where transformers computes in float32:
 * left-padded prompts, beams other than the first starting at −1e9, the top 2·num_beams candidates, EOS
 * accepted only within the first num_beams and only when the whole sequence satisfies the constraints, advance
 * tokens for every beam with duplicates removed, {@code bank·100 + score} ranking with round-robin over banks,
 * and a finalize step that adds unsatisfied beams when too few satisfied ones finished.
 */
public final class HfConstrainedBeamSearch {
    private static final float MINUS_1E9 = -1e9f;

    private final LanguageModel lm;
    private final BeamSearchConfig cfg;
    private final int vocab;
    private final int eos;
    private final int pad;
    private final int nb;

    private HfConstrainedBeamSearch(LanguageModel lm, BeamSearchConfig cfg) {
        this.lm = lm;
        this.cfg = cfg;
        this.vocab = lm.vocabSize();
        this.eos = lm.eosId();
        this.pad = lm.padId();
        this.nb = cfg.numBeams();
    }

    /** transformers' {@code BeamHypotheses} (4.57): scores in double, insertion order kept. */
    static final class Hyps {
        final List<Object[]> beams = new ArrayList<>(); // {double score, int[] seq, boolean eos}
        double worst = 1e9;
        final int numBeams;
        final double lengthPenalty;

        Hyps(int numBeams, double lengthPenalty) {
            this.numBeams = numBeams;
            this.lengthPenalty = lengthPenalty;
        }

        void add(int[] seq, double sumLogprobs, int generatedLen, boolean endsWithEos) {
            double score = sumLogprobs / Math.pow(generatedLen, lengthPenalty);
            if (beams.size() < numBeams || score > worst) {
                beams.add(new Object[] {score, seq, endsWithEos});
                if (beams.size() > numBeams) {
                    Integer[] idx = new Integer[beams.size()];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i] = i;
                    }
                    Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> (double) beams.get(i)[0])
                            .thenComparingInt(i -> i));
                    double second = (double) beams.get(idx[1])[0];
                    beams.remove((int) idx[0]);
                    worst = second;
                } else {
                    worst = Math.min(score, worst);
                }
            }
        }

        boolean isDone(double best, int curLen, int promptLen, int maxLength, EarlyStopping es) {
            if (beams.size() < numBeams) {
                return false;
            }
            switch (es) {
                case TRUE:
                    return true;
                case FALSE:
                    return worst >= best / Math.pow(curLen - promptLen, lengthPenalty);
                default:
                    int len = lengthPenalty > 0.0 ? maxLength - promptLen : curLen - promptLen;
                    return worst >= best / Math.pow(len, lengthPenalty);
            }
        }

        /** @return the best {@code n}: sorted by score (stable), popped from the end */
        List<Object[]> best(int n) {
            List<Object[]> sorted = new ArrayList<>(beams);
            sorted.sort(Comparator.comparingDouble(h -> (double) h[0]));
            List<Object[]> out = new ArrayList<>();
            for (int j = 0; j < n && !sorted.isEmpty(); j++) {
                out.add(sorted.remove(sorted.size() - 1));
            }
            return out;
        }
    }

    public static List<TextOutput> run(LanguageModel lm, List<int[]> prompts, List<ConstraintSet> sets, int maxLength,
            BeamSearchConfig cfg, StepListener listener) {
        return new HfConstrainedBeamSearch(lm, cfg).search(prompts, sets, maxLength, listener);
    }

    private List<TextOutput> search(List<int[]> prompts, List<ConstraintSet> sets, int maxLength,
            StepListener listener) {
        int batch = prompts.size();
        int promptLen = 0;
        for (int[] p : prompts) {
            promptLen = Math.max(promptLen, p.length);
        }
        int rows = batch * nb;
        int[][] seq = new int[rows][];
        float[] beamScores = new float[rows];
        int[] decRow = new int[rows];
        for (int i = 0; i < rows; i++) {
            seq[i] = HfBeamSearch.leftPad(prompts.get(i / nb), promptLen, pad);
            beamScores[i] = i % nb == 0 ? 0f : MINUS_1E9;
            decRow[i] = i / nb;
        }
        List<List<Constraint>> cons = new ArrayList<>();
        List<int[][]> bans = new ArrayList<>();
        Hyps[] hyps = new Hyps[batch];
        boolean[] done = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            cons.add(sets.get(b).required());
            bans.add(HfBeamSearch.banTokens(sets.get(b)));
            hyps[b] = new Hyps(nb, cfg.lengthPenalty());
        }
        int curLen = promptLen;
        try (LanguageModel.Decoder decoder = lm.start(prompts.toArray(new int[0][]))) {
            while (true) {
                listener.onStep(curLen - promptLen, maxLength - promptLen);
                float[][] lp = decoder.checkedLogProbs();
                float[][] scores = new float[rows][];
                for (int i = 0; i < rows; i++) {
                    if (!done[i / nb]) {
                        scores[i] = HfBeamSearch.processedScores(lp[decRow[i]], seq[i], curLen, beamScores[i], cfg,
                                eos, bans.get(i / nb));
                    }
                }
                float[] nextScores = new float[rows];
                int[] nextTokens = new int[rows];
                int[] nextIndices = new int[rows];
                for (int b = 0; b < batch; b++) {
                    if (done[b]) {
                        Arrays.fill(nextTokens, b * nb, (b + 1) * nb, pad);
                        continue; // scores 0, indices 0, as transformers pads a finished batch
                    }
                    float[] flat = new float[nb * vocab];
                    for (int j = 0; j < nb; j++) {
                        System.arraycopy(scores[b * nb + j], 0, flat, j * vocab, vocab);
                    }
                    int[] top = TorchOrder.topk(flat, 2 * nb);
                    int beamIdx = 0;
                    for (int rank = 0; rank < top.length && beamIdx < nb; rank++) {
                        int row = b * nb + top[rank] / vocab;
                        int token = top[rank] % vocab;
                        float score = flat[top[rank]];
                        if (token == eos) {
                            if (rank >= nb) {
                                continue;
                            }
                            if (HfConstraintListState.completes(cons.get(b), seq[row], seq[row].length)) {
                                hyps[b].add(seq[row], score, curLen + 1 - promptLen, true);
                            }
                        } else {
                            nextScores[b * nb + beamIdx] = score;
                            nextTokens[b * nb + beamIdx] = token;
                            nextIndices[b * nb + beamIdx] = row;
                            beamIdx++;
                        }
                    }
                    float best = Float.NEGATIVE_INFINITY;
                    for (int i : top) {
                        best = Math.max(best, flat[i]);
                    }
                    stepSentence(b, seq, scores, cons.get(b), nextScores, nextTokens, nextIndices);
                    done[b] = hyps[b].isDone(best, curLen + 1, promptLen, maxLength,
                            cfg.earlyStopping());
                }
                int[][] newSeq = new int[rows][];
                int[] parents = new int[rows];
                for (int i = 0; i < rows; i++) {
                    newSeq[i] = LogitRules.append(seq[nextIndices[i]], nextTokens[i]);
                    parents[i] = decRow[nextIndices[i]];
                    decRow[i] = i;
                }
                seq = newSeq;
                beamScores = nextScores;
                curLen++;
                boolean allDone = true;
                for (boolean d : done) {
                    allDone &= d;
                }
                if (allDone || curLen >= maxLength) {
                    break;
                }
                decoder.advance(parents, nextTokens.clone());
            }
        }
        List<TextOutput> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            if (!done[b]) {
                List<Integer> collected = new ArrayList<>();
                for (int j = 0; j < nb; j++) {
                    int row = b * nb + j;
                    if (HfConstraintListState.completes(cons.get(b), seq[row], seq[row].length)) {
                        hyps[b].add(seq[row], beamScores[row], seq[row].length - promptLen, false);
                        collected.add(j);
                    }
                }
                if (collected.size() < cfg.numReturn()) {
                    for (int j = 0; j < nb; j++) {
                        if (!collected.contains(j)) {
                            int row = b * nb + j;
                            hyps[b].add(seq[row], beamScores[row], seq[row].length - promptLen, false);
                        }
                    }
                }
            }
            int rank = 0;
            int skip = promptLen - prompts.get(b).length;
            for (Object[] h : hyps[b].best(cfg.numReturn())) {
                int[] s = (int[]) h[1];
                int[] tokens = Arrays.copyOfRange(s, skip, s.length);
                if ((boolean) h[2]) {
                    tokens = LogitRules.append(tokens, eos);
                }
                int pl = prompts.get(b).length;
                ConstraintTracker check = ConstraintTracker.check(sets.get(b), tokens, pl, tokens.length);
                out.add(new TextOutput(b, rank++, tokens, pl, (float) (double) h[0], check.satisfied(),
                        check.matches(pl)));
            }
        }
        return out;
    }

    /** transformers' {@code step_sentence_constraint} for one batch item (push_progress off, its default). */
    private void stepSentence(int b, int[][] seq, float[][] scoresAll, List<Constraint> cons, float[] nextScores,
            int[] nextTokens, int[] nextIndices) {
        int sidx = b * nb;
        List<int[]> newSeqs = new ArrayList<>();
        List<HfConstraintListState> states = new ArrayList<>();
        for (int j = 0; j < nb; j++) {
            int[] full = LogitRules.append(seq[nextIndices[sidx + j]], nextTokens[sidx + j]);
            newSeqs.add(full);
            HfConstraintListState s = new HfConstraintListState(cons);
            s.reset(full, full.length);
            states.add(s);
        }
        List<Integer> newIndices = new ArrayList<>();
        List<Integer> newTokens = new ArrayList<>();
        List<Float> newScores = new ArrayList<>();
        for (int j = 0; j < nb; j++) {
            int[] pre = seq[sidx + j];
            HfConstraintListState adv = new HfConstraintListState(cons);
            adv.reset(pre, pre.length);
            if (adv.completed) {
                continue;
            }
            for (int t : adv.advance()) {
                HfConstraintListState ns = adv.copyStateful();
                ns.add(t);
                int[] advSeq = LogitRules.append(pre, t);
                boolean dup = false;
                for (int[] s : newSeqs) {
                    if (Arrays.equals(s, advSeq)) {
                        dup = true;
                        break;
                    }
                }
                if (!dup) {
                    newSeqs.add(advSeq);
                    newIndices.add(sidx + j);
                    newTokens.add(t);
                    newScores.add(t >= 0 && t < vocab ? scoresAll[sidx + j][t] : Float.NEGATIVE_INFINITY);
                    states.add(ns);
                }
            }
        }
        if (newIndices.isEmpty()) {
            return;
        }
        int total = nb + newIndices.size();
        int[] banks = new int[total];
        float[] allScores = new float[total];
        int[] allTokens = new int[total];
        int[] allIndices = new int[total];
        for (int i = 0; i < total; i++) {
            banks[i] = states.get(i).bank();
            if (i < nb) {
                allScores[i] = nextScores[sidx + i];
                allTokens[i] = nextTokens[sidx + i];
                allIndices[i] = nextIndices[sidx + i];
            } else {
                allScores[i] = newScores.get(i - nb);
                allTokens[i] = newTokens.get(i - nb);
                allIndices[i] = newIndices.get(i - nb);
            }
        }
        float[] zipped = new float[total];
        for (int i = 0; i < total; i++) {
            zipped[i] = (float) (banks[i] * 100L) + allScores[i];
        }
        int[] order = TorchOrder.sortDescending(zipped); // torch.sort(descending=True)
        int[] increments = new int[total];
        int counter = -1;
        int curBank = banks[order[0]];
        for (int k = 0; k < total; k++) {
            int bank = banks[order[k]];
            if (bank == curBank) {
                counter++;
            } else {
                counter = 0;
                curBank = bank;
            }
            increments[k] = counter;
        }
        Integer[] rearr = new Integer[total];
        for (int k = 0; k < total; k++) {
            rearr[k] = k;
        }
        Arrays.sort(rearr, Comparator.comparingInt(k -> increments[k])); // numpy mergesort: stable
        for (int j = 0; j < nb; j++) {
            int pick = order[rearr[j]];
            nextScores[sidx + j] = allScores[pick];
            nextTokens[sidx + j] = allTokens[pick];
            nextIndices[sidx + j] = allIndices[pick];
        }
    }
}
