package dev.atelier.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code atelier bench …}: measurements written up in docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (figures and commands are kept in docs/BENCHMARKS.md).",
        subcommands = {
            StartupBench.class,
            UiBench.class,
            TextPanelBench.class,
            SampleBench.class,
            BenchTrainCmCommand.class,
            BenchTextCommand.class,
            LmBench.class,
            CacheBench.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing benchmark: choose one of "
                + String.join(", ", spec.subcommands().keySet()) + ".");
    }
}
