package dev.atelier.text.hf;

import dev.atelier.text.StepListener;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.LogitRules;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.BannedPhrase;
import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.ConstraintTracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * transformers 4.57 beam search without required constraints ({@code _beam_search}, the vectorised version):
 * the top 2·num_beams candidates, of which those hitting a stopping criterion (EOS or the maximum length) within
 * the first num_beams become finished with score / (generated length)^length_penalty and the best non-finished
 * num_beams continue; the early-stopping heuristic and the loop's end follow transformers exactly, in float32.
 * Banned phrases act as transformers' {@code bad_words_ids}.
 */
public final class HfBeamSearch {
    private static final float MINUS_1E9 = -1e9f;

    private HfBeamSearch() {
    }

    static int[] leftPad(int[] prompt, int length, int pad) {
        int[] row = new int[length];
        Arrays.fill(row, 0, length - prompt.length, pad);
        System.arraycopy(prompt, 0, row, length - prompt.length, prompt.length);
        return row;
    }

    static int[][] banTokens(ConstraintSet set) {
        int[][] out = new int[set.banned().size()][];
        int i = 0;
        for (BannedPhrase b : set.banned()) {
            out[i++] = b.tokens();
        }
        return out;
    }

    /**
     * log-probabilities after transformers' logits processors (min length, no-repeat n-gram, bad words), plus
     * the beam's running score, in float32.
     */
    static float[] processedScores(float[] logProbs, int[] seq, int curLen, float beamScore, BeamSearchConfig cfg,
            int eos, int[][] bans) {
        float[] s = logProbs.clone();
        if (curLen < cfg.minLength()) {
            s[eos] = Float.NEGATIVE_INFINITY;
        }
        for (int t : LogitRules.noRepeatBanned(seq, curLen, cfg.noRepeatNgram())) {
            s[t] = Float.NEGATIVE_INFINITY;
        }
        for (int t : LogitRules.badWordsBanned(seq, curLen, bans)) {
            s[t] = Float.NEGATIVE_INFINITY;
        }
        for (int t = 0; t < s.length; t++) {
            s[t] = s[t] + beamScore;
        }
        return s;
    }

    public static List<TextOutput> run(LanguageModel lm, List<int[]> prompts, List<ConstraintSet> sets, int maxLength,
            BeamSearchConfig cfg, StepListener listener) {
        int vocab = lm.vocabSize();
        int eos = lm.eosId();
        int pad = lm.padId();
        int nb = cfg.numBeams();
        int k = 2 * nb;
        int batch = prompts.size();
        int promptLen = 0;
        for (int[] p : prompts) {
            promptLen = Math.max(promptLen, p.length);
        }
        double lp = cfg.lengthPenalty();
        EarlyStopping es = cfg.earlyStopping();
        int[][][] running = new int[batch][nb][];
        float[][] runningScores = new float[batch][nb];
        int[][] decRow = new int[batch][nb];
        int[][][] finished = new int[batch][nb][];
        float[][] finishedScores = new float[batch][nb];
        boolean[][] isFinished = new boolean[batch][nb];
        boolean[] heuristicUnsatisfied = new boolean[batch];
        int[][][] bans = new int[batch][][];
        for (int b = 0; b < batch; b++) {
            int[] row = leftPad(prompts.get(b), promptLen, pad);
            for (int j = 0; j < nb; j++) {
                running[b][j] = row;
                finished[b][j] = row;
                runningScores[b][j] = j == 0 ? 0f : MINUS_1E9;
                finishedScores[b][j] = MINUS_1E9;
                decRow[b][j] = b;
            }
            heuristicUnsatisfied[b] = true;
            bans[b] = banTokens(sets.get(b));
        }
        int curLen = promptLen;
        try (LanguageModel.Decoder decoder = lm.start(prompts.toArray(new int[0][]))) {
            while (true) {
                listener.onStep(curLen - promptLen, maxLength - promptLen);
                float[][] logProbs = decoder.checkedLogProbs();
                boolean allHit = true;
                int[] parents = new int[batch * nb];
                int[] tokens = new int[batch * nb];
                float denominator = (float) Math.pow(curLen + 1 - promptLen, lp);
                for (int b = 0; b < batch; b++) {
                    float[] acc = new float[nb * vocab];
                    for (int j = 0; j < nb; j++) {
                        float[] s = processedScores(logProbs[decRow[b][j]], running[b][j], curLen, runningScores[b][j],
                                cfg, eos, bans[b]);
                        System.arraycopy(s, 0, acc, j * vocab, vocab);
                    }
                    int[] top = TorchOrder.topk(acc, k);
                    int n = top.length;
                    boolean[] hits = new boolean[n];
                    float[] topScores = new float[n];
                    int[][] topSeqs = new int[n][];
                    int[] topParents = new int[n];
                    for (int c = 0; c < n; c++) {
                        int beam = top[c] / vocab;
                        int token = top[c] % vocab;
                        topScores[c] = acc[top[c]];
                        topSeqs[c] = LogitRules.append(running[b][beam], token);
                        topParents[c] = decRow[b][beam];
                        hits[c] = token == eos || curLen + 1 >= maxLength;
                        allHit &= hits[c];
                    }
                    // e. the best num_beams candidates that did not finish continue
                    float[] runningCand = new float[n];
                    for (int c = 0; c < n; c++) {
                        runningCand[c] = topScores[c] + (hits[c] ? MINUS_1E9 : -0f);
                    }
                    int[] keep = topIndices(runningCand, nb);
                    for (int j = 0; j < nb; j++) {
                        int c = keep[j];
                        running[b][j] = topSeqs[c];
                        runningScores[b][j] = runningCand[c];
                        parents[b * nb + j] = topParents[c];
                        tokens[b * nb + j] = topSeqs[c][topSeqs[c].length - 1];
                    }
                    // f. finished candidates (within the first num_beams) compete with the finished so far
                    boolean full = true;
                    for (boolean f : isFinished[b]) {
                        full &= f;
                    }
                    float[] merged = new float[nb + n];
                    int[][] mergedSeqs = new int[nb + n][];
                    boolean[] mergedFinished = new boolean[nb + n];
                    for (int j = 0; j < nb; j++) {
                        merged[j] = finishedScores[b][j];
                        mergedSeqs[j] = finished[b][j];
                        mergedFinished[j] = isFinished[b][j];
                    }
                    for (int c = 0; c < n; c++) {
                        boolean did = hits[c] && c < nb;
                        float s = topScores[c] / denominator;
                        s += full && es == EarlyStopping.TRUE ? MINUS_1E9 : -0f;
                        s += heuristicUnsatisfied[b] ? -0f : MINUS_1E9;
                        s += did ? -0f : MINUS_1E9;
                        merged[nb + c] = s;
                        mergedSeqs[nb + c] = topSeqs[c];
                        mergedFinished[nb + c] = did;
                    }
                    int[] best = topIndices(merged, nb);
                    int[][] fSeqs = new int[nb][];
                    for (int j = 0; j < nb; j++) {
                        fSeqs[j] = mergedSeqs[best[j]];
                        finishedScores[b][j] = merged[best[j]];
                        isFinished[b][j] = mergedFinished[best[j]];
                    }
                    finished[b] = fSeqs;
                }
                curLen++;
                boolean anyUnsatisfied = false;
                boolean allFinished = true;
                int hypothetical = es == EarlyStopping.NEVER && lp > 0.0 ? maxLength - promptLen : curLen - promptLen;
                float hypoDen = (float) Math.pow(hypothetical, lp);
                for (int b = 0; b < batch; b++) {
                    float bestPossible = runningScores[b][0] / hypoDen;
                    float minFinished = Float.POSITIVE_INFINITY;
                    for (float f : finishedScores[b]) {
                        minFinished = Math.min(minFinished, f);
                    }
                    boolean improvable = false;
                    for (int j = 0; j < nb; j++) {
                        float worst = isFinished[b][j] ? minFinished : MINUS_1E9;
                        improvable |= bestPossible > worst;
                        allFinished &= isFinished[b][j];
                    }
                    heuristicUnsatisfied[b] &= improvable;
                    anyUnsatisfied |= heuristicUnsatisfied[b];
                }
                boolean openBeam = !(allFinished && es == EarlyStopping.TRUE);
                if (!(anyUnsatisfied && openBeam && !allHit)) {
                    break;
                }
                decoder.advance(parents, tokens);
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < nb; j++) {
                        decRow[b][j] = b * nb + j;
                    }
                }
            }
        }
        List<TextOutput> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int pl = prompts.get(b).length;
            int skip = promptLen - pl;
            for (int r = 0; r < cfg.numReturn(); r++) {
                int[] s = finished[b][r];
                int[] toks = Arrays.copyOfRange(s, skip, s.length);
                ConstraintTracker check = ConstraintTracker.check(sets.get(b), toks, pl, toks.length);
                out.add(new TextOutput(b, r, toks, pl, finishedScores[b][r], check.satisfied(), check.matches(pl)));
            }
        }
        return out;
    }

    /** {@code torch.topk(values, n)[1]} on CPU, ties in PyTorch's order. */
    private static int[] topIndices(float[] values, int n) {
        return TorchOrder.topk(values, n);
    }
}
