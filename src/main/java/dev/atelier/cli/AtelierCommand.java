package dev.atelier.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code atelier} command line (CONTRACTS.md). Exit codes: 0 success, 1 bad input or a failed job
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
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
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

    /** Prints the version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AtelierCommand.class.getPackage().getImplementationVersion();
            return new String[] {"atelier " + (v == null ? "(development build)" : v)};
        }
    }
}
