package dev.atelier.cli;

import dev.atelier.AtelierException;
import dev.atelier.runtime.InferenceLane;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The one place that maps the field keys of requests and their errors to command-line flags: a message written
 * with {@code {maxNewTokens}} reads "--max-new-tokens" here, while the studio names its own control.
 */
final class Flags {
    /** Keys whose flag is not simply the key in kebab case. */
    private static final Map<String, String> SPECIAL = Map.of(
            "numBeams", "--beams",
            "classLabel", "--class");

    private Flags() {
    }

    /**
     * @param key a field key: {@code maxNewTokens}, {@code seedA}, {@code constraint[2]}
     * @return its flag ({@code --max-new-tokens}, {@code --seed-a}); an indexed key reads "constraint 2"
     */
    static String flag(String key) {
        int bracket = key.indexOf('[');
        if (bracket > 0 && key.endsWith("]")) {
            return key.substring(0, bracket) + " " + key.substring(bracket + 1, key.length() - 1);
        }
        String special = SPECIAL.get(key);
        if (special != null) {
            return special;
        }
        return "--" + key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** @return the message for {@code t} with inputs named by their flags */
    static String message(Throwable t) {
        return InferenceLane.describe(t, Flags::flag);
    }

    /**
     * Builds a request from options; an invalid one is a usage error (exit code 2) naming the flags.
     *
     * @param spec the command
     * @param build builds the request (its compact constructor validates)
     * @return the request
     */
    static <T> T usage(CommandLine.Model.CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (AtelierException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), message(e), e);
        }
    }

    /** @return a usage error (exit code 2) with {@code message} */
    static CommandLine.ParameterException usageError(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
