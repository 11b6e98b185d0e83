package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import dev.atelier.runtime.TextModels;
import dev.atelier.text.search.BeamSearch;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.BigramModel;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.SearchMode;
import dev.atelier.text.TextModel;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.DisjunctiveConstraint;
import dev.atelier.text.constraint.OrderedConstraint;
import dev.atelier.text.constraint.PhrasalConstraint;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier bench text}: time per generated token of constrained beam search (3 constraints: a phrase, a
 * disjunction, an ordered pair) over plain beam search, same model, prompts and settings, measured in one run.
 */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = "Per-token time of constrained beam search (3 constraints) over plain beam search; target <= 1.25 "
                + "without lookahead, <= 3 with it.")
public final class BenchTextCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Any text model; default: a random bigram model with --vocab words (fixed seed).")
    String model;

    @Option(names = "--vocab", defaultValue = "5000", description = "Vocabulary of the random bigram model (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--beams", defaultValue = "10", description = "Beams (default: ${DEFAULT-VALUE}).")
    int beams;

    @Option(names = "--max-new-tokens", defaultValue = "30", description = "Tokens per prompt (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--prompts", defaultValue = "4", description = "Prompts per batch (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--clock", defaultValue = "cpu", paramLabel = "cpu|wall",
            description = "cpu: this thread's CPU time, robust on a busy machine (a DJL model computes on the calling "
                    + "thread with --threads 1); wall: elapsed time (default: ${DEFAULT-VALUE}).")
    String clock;

    @Option(names = "--repeats", defaultValue = "15", description = "Timed repeats after one warm-up (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--mode", defaultValue = "strict", converter = TextCommand.ModeConverter.class,
            description = "strict or hf (default: ${DEFAULT-VALUE}).")
    SearchMode mode;

    @Option(names = "--seed", defaultValue = "1234", description = "Seed of the model, prompts and constraints (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lookahead", paramLabel = "K", description = "Lookahead of the constrained search, strict mode "
            + "(default: " + BeamSearchConfig.DEFAULT_LOOKAHEAD + "; 0 = off, the ratio's target is then 1.25, else 3).")
    int lookahead = BeamSearchConfig.DEFAULT_LOOKAHEAD;

    @Option(names = "--lookahead-weight", paramLabel = "X", description = "Weight of the lookahead (default: "
            + BeamSearchConfig.DEFAULT_LOOKAHEAD_WEIGHT + ").")
    double lookaheadWeight = BeamSearchConfig.DEFAULT_LOOKAHEAD_WEIGHT;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!clock.equals("cpu") && !clock.equals("wall")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--clock must be cpu or wall.");
        }
        boolean cpu = clock.equals("cpu");
        if (beams < 2 || prompts < 1 || repeats < 1 || maxNewTokens < 4 || vocab < 10) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Use --beams >= 2, --prompts >= 1, --repeats >= 1, --max-new-tokens >= 4, --vocab >= 10.");
        }
        TextModel tm;
        String name;
        if (model == null) {
            common.engine().applyThreads();
            BigramModel m = BigramModel.random(vocab, 64, seed);
            tm = new TextModel("random bigram (V=" + vocab + ", seed " + seed + ")", m, m.tokenizer());
        } else {
            common.engine().applyThreads();
            tm = TextModels.load(ModelLocator.resolve(model), common.engine());
        }
        name = tm.name();
        try (tm) {
            LanguageModel lm = tm.model();
            Random rnd = new Random(seed);
            List<int[]> ids = new ArrayList<>();
            for (int i = 0; i < prompts; i++) {
                ids.add(new int[] {word(rnd, lm), word(rnd, lm), word(rnd, lm)});
            }
            ConstraintSet three = ConstraintSet.builder()
                    .add(new PhrasalConstraint(new int[] {word(rnd, lm), word(rnd, lm)}))
                    .add(new DisjunctiveConstraint(new int[][] {{word(rnd, lm)}, {word(rnd, lm)}, {word(rnd, lm)}}))
                    .add(new OrderedConstraint(new int[][] {{word(rnd, lm)}, {word(rnd, lm)}}))
                    .build();
            if (mode == SearchMode.HF) {
                three = ConstraintSet.builder()
                        .add(three.required().get(0))
                        .add(DisjunctiveConstraint.huggingFace(((DisjunctiveConstraint) three.required().get(1)).options()))
                        .add(three.required().get(2))
                        .build();
            }
            // No EOS before the last step (min length = prompt + new tokens): plain search would otherwise end some
            // prompts early and decode fewer rows per step than constrained search (EOS blocked until satisfied),
            // and the ratio would compare different amounts of work. Both now score the same rows.
            // Plain search has no constraints to look ahead for; token healing is off in both (the prompts are
            // random ids).
            BeamSearchConfig cfg = new BeamSearchConfig(mode, beams, null, maxNewTokens, 3 + maxNewTokens, 1.0,
                    EarlyStopping.FALSE, 1, 0, lookahead, lookaheadWeight, false);
            boolean looks = mode == SearchMode.STRICT && lookahead > 0 && lookaheadWeight != 0;
            double target = looks ? 3.0 : 1.25;
            double[] plain = new double[repeats];
            double[] constrained = new double[repeats];
            double[] constrainedSeconds = new double[repeats];
            long plainTokens = 0;
            long constrainedTokens = 0;
            long plainRows = 0;
            long constrainedRows = 0;
            int satisfied = 0;
            for (int r = -1; r < repeats; r++) {
                // Alternate the order so that drift (JIT, caches, other load) affects both alike.
                Timing a;
                Timing b;
                if ((r & 1) == 0) {
                    a = time(lm, ids, ConstraintSet.NONE, cfg, cpu);
                    b = time(lm, ids, three, cfg, cpu);
                } else {
                    b = time(lm, ids, three, cfg, cpu);
                    a = time(lm, ids, ConstraintSet.NONE, cfg, cpu);
                }
                if (r >= 0) {
                    plain[r] = a.perStepMs;
                    constrained[r] = b.perStepMs;
                    constrainedSeconds[r] = b.perStepMs * b.steps / 1e3;
                    plainTokens += a.steps;
                    constrainedTokens += b.steps;
                    plainRows += a.rows;
                    constrainedRows += b.rows;
                    satisfied = b.satisfied;
                }
            }
            double p = BenchStats.median(plain);
            double c = BenchStats.median(constrained);
            double ratio = c / p;
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode n = ModelManifest.JSON.createObjectNode();
                n.put("model", name);
                n.put("mode", mode.name().toLowerCase());
                n.put("beams", beams);
                n.put("prompts", prompts);
                n.put("maxNewTokens", maxNewTokens);
                n.put("repeats", repeats);
                n.put("clock", clock);
                n.put("plainMsPerToken", p);
                n.put("constrainedMsPerToken", c);
                n.put("ratio", ratio);
                n.put("plainRowsScored", plainRows);
                n.put("constrainedRowsScored", constrainedRows);
                n.put("target", target);
                n.put("lookahead", looks ? lookahead : 0);
                n.put("lookaheadWeight", lookaheadWeight);
                n.put("constrainedSecondsPerBatch", BenchStats.median(constrainedSeconds));
                n.put("satisfiedOutputs", satisfied);
                out.println(ModelManifest.JSON.writeValueAsString(n));
            } else {
                out.printf("Model:        %s%n", name);
                out.printf("Settings:     %s mode, %d beams, %d prompts, up to %d new tokens, %d repeats (median), "
                        + "%s time, lookahead %s%n", mode.name().toLowerCase(), beams, prompts, maxNewTokens, repeats,
                        clock, looks ? lookahead + " (weight " + lookaheadWeight + ")" : "off");
                out.printf("Plain:        %.3f ms per token (%d decode steps, %d beam rows scored)%n", p, plainTokens,
                        plainRows);
                out.printf("Constrained:  %.3f ms per token (%d decode steps, %d beam rows scored), %d/%d outputs "
                        + "satisfied%n", c, constrainedTokens, constrainedRows, satisfied, prompts);
                out.printf("Whole batch:  %.3f s constrained (median)%n", BenchStats.median(constrainedSeconds));
                out.printf("Ratio:        %.3f (target <= %s: %s)%n", ratio, target == 3.0 ? "3" : "1.25",
                        ratio <= target ? "met" : "NOT met");
            }
            out.flush();
        }
        return 0;
    }

    /**
     * @param perStepMs time per decoding step
     * @param steps decoding steps
     * @param rows beam rows scored over all steps (a step scores fewer rows once some prompts are finished)
     * @param satisfied outputs that satisfy their constraints
     */
    private record Timing(double perStepMs, int steps, long rows, int satisfied) {
    }

    /** Counts the rows a search scores, so that runs in which prompts finish at different steps compare fairly. */
    private static final class CountingModel implements LanguageModel {
        final LanguageModel lm;
        long rows;

        CountingModel(LanguageModel lm) {
            this.lm = lm;
        }

        @Override
        public int vocabSize() {
            return lm.vocabSize();
        }

        @Override
        public int eosId() {
            return lm.eosId();
        }

        @Override
        public int padId() {
            return lm.padId();
        }

        @Override
        public int contextLength() {
            return lm.contextLength();
        }

        @Override
        public Decoder start(int[][] rows) {
            return counted(lm.start(rows));
        }

        private Decoder counted(Decoder d) {
            return new Decoder() {
                @Override
                public float[][] logProbs() {
                    float[][] lp = d.checkedLogProbs();
                    CountingModel.this.rows += lp.length;
                    return lp;
                }

                @Override
                public void advance(int[] parents, int[] tokens) {
                    d.advance(parents, tokens);
                }

                @Override
                public Decoder branch(int[] parents, int[] tokens) {
                    return counted(d.branch(parents, tokens));
                }

                @Override
                public float[][] peek(int[] parents, int[] tokens) {
                    float[][] lp = d.peek(parents, tokens);
                    CountingModel.this.rows += lp.length;
                    return lp;
                }

                @Override
                public void close() {
                    d.close();
                }
            };
        }
    }

    private static Timing time(LanguageModel lm, List<int[]> ids, ConstraintSet set, BeamSearchConfig cfg,
            boolean cpu) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int[] steps = {0};
        CountingModel counting = new CountingModel(lm);
        long t0 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        List<TextOutput> outs = BeamSearch.generate(counting, ids, List.of(set), cfg, (s, max) -> steps[0]++);
        long t1 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        int ok = (int) outs.stream().filter(TextOutput::satisfied).count();
        return new Timing((t1 - t0) / 1e6 / Math.max(1, steps[0]), steps[0], counting.rows, ok);
    }

    private static int word(Random rnd, LanguageModel lm) {
        while (true) {
            int t = rnd.nextInt(lm.vocabSize());
            if (t != lm.eosId() && t != lm.padId()) {
                return t;
            }
        }
    }

}
