package dev.atelier.cli;

import dev.atelier.AtelierException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code atelier} command line (docs/FORMATS.md). Exit codes: 0 success, 1 bad input or a failed job
 * (a one-paragraph message on stderr, a stack trace only with {@code --verbose}), 2 bad usage.
 */
@Command(name = "atelier", mixinStandardHelpOptions = true, versionProvider = AtelierCommand.Version.class,
        description = "Atelier, a generation studio: consistency-model sampling and editing, and constrained "
                + "beam search. Without a subcommand the desktop studio starts.",
        subcommands = {
            InfoCommand.class,
            SampleCommand.class,
            EditCommand.class,
            TextCommand.class,
            TrainCmCommand.class,
            EvalCmCommand.class,
            EvalEditCommand.class,
            TrainLmCommand.class,
            EvalLmCommand.class,
            EvalTextCommand.class,
            BenchCommand.class,
        })
public final class AtelierCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand.");
    }

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** @return the configured picocli command line (error handling and exit codes included) */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AtelierCommand());
        cl.registerConverter(java.nio.file.Path.class, AtelierCommand::path);
        // picocli lets an Error (OutOfMemoryError, StackOverflowError) escape as a stack trace: hand it to the
        // handler below like any failure, so it too becomes a one-paragraph message
        cl.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (Error e) {
                throw new CommandLine.ExecutionException(cl, "the job failed", e);
            }
        });
        // a usage error is one line saying what is wrong, then where the usage is (not kilobytes of usage)
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                err.println("Did you mean: " + String.join(", ", u.getSuggestions()) + "?");
            }
            err.println("See `" + name + " --help`.");
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((thrown, line, parseResult) -> {
            Throwable ex = thrown instanceof CommandLine.ExecutionException && thrown.getCause() instanceof Error
                    ? thrown.getCause() : thrown;
            PrintWriter err = line.getErr();
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                    || (parseResult.subcommand() != null && parseResult.subcommand().subcommand() != null
                        && parseResult.subcommand().subcommand().hasMatchedOption("--verbose"));
            err.println("atelier " + line.getCommandName() + ": " + Flags.message(ex));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    /**
     * Converts a path argument; a name the locale cannot represent gets advice instead of the exception's name.
     */
    static java.nio.file.Path path(String text) {
        try {
            return java.nio.file.Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandLine.TypeConversionException(AtelierException.unusablePath(text, e));
        }
    }

    /** Prints the version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AtelierCommand.class.getPackage().getImplementationVersion();
            return new String[] {"atelier " + (v == null ? "(development build)" : v)};
        }
    }
}
