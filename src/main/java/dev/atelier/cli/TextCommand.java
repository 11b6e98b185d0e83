package dev.atelier.cli;

import dev.atelier.app.Services;
import dev.atelier.app.TextRequest;
import dev.atelier.app.TextResult;
import dev.atelier.runtime.JobOwner;
import dev.atelier.base.ModelManifest;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code atelier text}: constrained beam search from the command line (docs/FORMATS.md). */
@Command(name = "text", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate text with beam search under lexical constraints.",
            "Constraint flags may repeat and mix; in command-line order they are constraints 0, 1, 2, ... and apply "
                + "to every prompt. --constraints FILE.json gives per-prompt prompts and constraints instead."},
        footer = {"", "Example:", "  atelier text --model toy-bigram.json --prompt The --phrase \"is fast\" --beams 3"})
public final class TextCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A bigram .json file, a language-model directory, or a shipped model name.")
    String model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "A prompt (repeat for a batch).")
    List<String> prompts = new ArrayList<>();

    @Option(names = "--phrase", paramLabel = "WORDS", parameterConsumer = OrderedConstraints.class,
            description = "Required phrase, e.g. \"is fast\".")
    List<String> phrase;

    @Option(names = "--any", paramLabel = "A|B|C", parameterConsumer = OrderedConstraints.class,
            description = "At least one of the options (split on |), e.g. \"rain|rains|raining\".")
    List<String> any;

    @Option(names = "--ordered", paramLabel = "A|B", parameterConsumer = OrderedConstraints.class,
            description = "Phrases that must appear in this order, gaps allowed, e.g. \"first|second\".")
    List<String> ordered;

    @Option(names = "--template", paramLabel = "PATTERN", parameterConsumer = OrderedConstraints.class,
            description = "Words and gaps: _ is one token, _N is N tokens, e.g. \"the _ School of _2 in\".")
    List<String> template;

    @Option(names = "--ban", paramLabel = "WORDS", parameterConsumer = OrderedConstraints.class,
            description = "A phrase that must not appear.")
    List<String> ban;

    @Option(names = "--constraints", paramLabel = "FILE.json",
            description = "Prompts with their own constraints: {\"prompts\":[{\"prompt\":\"The\",\"constraints\":"
                    + "[{\"phrase\":\"is fast\"},{\"any\":[\"a\",\"b\"]},{\"ordered\":[\"a\",\"b c\"]},"
                    + "{\"template\":\"the _ of\"},{\"ban\":\"w\"}]}]}")
    Path constraintsFile;

    @Option(names = "--beams", defaultValue = "4", paramLabel = "N", description = "Beams per prompt (default: ${DEFAULT-VALUE}).")
    int beams;

    @Option(names = "--max-length", paramLabel = "N", description = "Prompt + generated tokens, as in Hugging Face.")
    Integer maxLength;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Generated tokens (default: 30).")
    Integer maxNewTokens;

    @Option(names = "--min-length", defaultValue = "0", paramLabel = "N",
            description = "No EOS while prompt + generated tokens are fewer than N (default: ${DEFAULT-VALUE}).")
    int minLength;

    @Option(names = "--length-penalty", defaultValue = "1.0", paramLabel = "X",
            description = "Score = log-prob sum / length^X (default: ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Option(names = "--early-stopping", defaultValue = "false", paramLabel = "true|false|never",
            converter = EarlyStoppingConverter.class, description = "As in Hugging Face (default: ${DEFAULT-VALUE}).")
    EarlyStopping earlyStopping;

    @Option(names = "--no-repeat-ngram", defaultValue = "0", paramLabel = "N",
            description = "Forbid repeating any N-gram (default: ${DEFAULT-VALUE}, off).")
    int noRepeatNgram;

    @Option(names = "--num-return", defaultValue = "1", paramLabel = "N",
            description = "Outputs per prompt, at most --beams (default: ${DEFAULT-VALUE}).")
    int numReturn;

    @Option(names = "--mode", defaultValue = "strict", paramLabel = "strict|hf",
            converter = ModeConverter.class,
            description = "strict (Atelier's search) or hf (reproduces transformers 4.57) (default: ${DEFAULT-VALUE}).")
    SearchMode mode;

    @Option(names = "--lookahead", paramLabel = "K", description = "Strict mode: rank candidates with a K-token "
            + "greedy lookahead of how cheaply their unmet constraints can still be met (default: "
            + BeamSearchConfig.DEFAULT_LOOKAHEAD + "; 0 = off).")
    int lookahead = BeamSearchConfig.DEFAULT_LOOKAHEAD;

    @Option(names = "--lookahead-weight", paramLabel = "X", description = "Strict mode: weight of the lookahead "
            + "estimate in the ranking (default: " + BeamSearchConfig.DEFAULT_LOOKAHEAD_WEIGHT + ").")
    double lookaheadWeight = BeamSearchConfig.DEFAULT_LOOKAHEAD_WEIGHT;

    @Option(names = "--token-healing", negatable = true, description = "Strict mode: re-choose the prompt's last "
            + "token among the tokens that extend it, so a word can continue naturally (\"The child\" → \"The "
            + "children\"); the text still starts with the prompt, but the JSON tokens may then end the prompt with a "
            + "longer token (docs/FORMATS.md). Off by default.")
    boolean tokenHealing = BeamSearchConfig.DEFAULT_TOKEN_HEALING;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Option(names = "--explain", description = "Print how each prompt and constraint is tokenised (phrases as "
            + "they appear mid-text); on stderr with --json.")
    boolean explain;

    /** Constraint flags in command-line order, all kinds in one sequence. */
    final List<ConstraintSpec> constraintFlags = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (constraintsFile != null && (!prompts.isEmpty() || !constraintFlags.isEmpty())) {
            throw new CommandLine.ParameterException(cl, "--constraints FILE.json gives the prompts and their "
                    + "constraints; do not combine it with --prompt or constraint flags.");
        }
        BeamSearchConfig cfg = Flags.usage(spec, () -> new BeamSearchConfig(mode, beams, maxLength,
                maxLength == null && maxNewTokens == null ? Integer.valueOf(30) : maxNewTokens, minLength,
                lengthPenalty, earlyStopping, numReturn, noRepeatNgram, lookahead, lookaheadWeight, tokenHealing));
        TextRequest request = constraintsFile != null
                ? new TextRequest(model, ConstraintSpec.readFile(constraintsFile), cfg)
                : Flags.usage(spec, () -> TextRequest.sharedConstraints(model, prompts, constraintFlags, cfg));
        try (Services services = common.services()) {
            if (explain) {
                java.io.PrintStream where = json ? System.err : System.out;
                for (String line : services.text().explain(JobOwner.CLI, request)) {
                    where.println(line);
                }
            }
            TextResult result = services.text().run(JobOwner.CLI, request, null);
            if (json) {
                printJson(result);
            } else {
                printText(result);
            }
        }
        return 0;
    }

    private void printJson(TextResult result) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println(ModelManifest.JSON.writeValueAsString(result.toJson()));
        out.flush();
    }

    private void printText(TextResult result) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(result.report());
        out.flush();
    }

    /** Appends each constraint flag to {@link #constraintFlags} as it is parsed, keeping command-line order. */
    static final class OrderedConstraints implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String name = ((OptionSpec) argSpec).longestName();
            if (args.isEmpty()) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), "Missing value for " + name + ".");
            }
            String value = args.pop();
            ConstraintSpec.Kind kind = ConstraintSpec.Kind.valueOf(name.substring(2).toUpperCase(Locale.ROOT));
            ((TextCommand) commandSpec.userObject()).constraintFlags.add(ConstraintSpec.ofFlag(kind, value));
        }
    }

    /** Parses true, false or never. */
    static final class EarlyStoppingConverter implements CommandLine.ITypeConverter<EarlyStopping> {
        @Override
        public EarlyStopping convert(String value) {
            try {
                return EarlyStopping.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--early-stopping: " + e.getMessage());
            }
        }
    }

    /** Parses strict or hf. */
    static final class ModeConverter implements CommandLine.ITypeConverter<SearchMode> {
        @Override
        public SearchMode convert(String value) {
            try {
                return SearchMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--mode must be strict or hf, not \"" + value + "\"");
            }
        }
    }
}
