package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.runtime.LanguageModels;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import dev.atelier.text.LanguageModel;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier bench lm}: decoding speed with and without the KV cache. A prompt of {@code --prompt-tokens}
 * tokens is expanded to {@code --beams} rows and continued for {@code --new-tokens} steps; every step takes
 * each row's best token and gives row i the parent (i + step) mod beams, so the cache is reordered at every
 * step as in beam search. Both runs must produce the same tokens.
 */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Language-model decoding speed with vs without the KV cache (beam-style reordering).")
public final class LmBench implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--model", defaultValue = "brown-lm", description = "Model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--prompt-tokens", defaultValue = "64", description = "Prompt length (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "64", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--beams", defaultValue = "5", description = "Rows decoded together (default: ${DEFAULT-VALUE}).")
    int beams;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each kind; the median is reported "
            + "(default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    static final String TEXT = "The soldiers marched along the river road toward the old town, and the people who "
            + "lived there came out of their houses to watch them pass. Some of the children ran beside the column, "
            + "shouting and waving, while their mothers stood in the doorways and said nothing at all about the war.";

    @Override
    public Integer call() throws Exception {
        if (promptTokens < 1 || newTokens < 1 || beams < 1 || runs < 1) {
            throw new AtelierException("--prompt-tokens, --new-tokens, --beams and --runs must be at least 1.");
        }
        common.device();
        java.nio.file.Path dir = ModelLocator.resolve(model);
        try (LanguageModels.Loaded cached = LanguageModels.load(dir, true, common.device());
             LanguageModels.Loaded plain = LanguageModels.load(dir, false, common.device())) {
            int[] text = cached.tokenizer().encode(TEXT + " " + TEXT + " " + TEXT);
            if (promptTokens + newTokens > cached.model().contextLength()) {
                throw new AtelierException("Prompt + new tokens (" + (promptTokens + newTokens) + ") exceed the "
                        + "model's context of " + cached.model().contextLength() + ". Lower --prompt-tokens or "
                        + "--new-tokens.");
            }
            int[] prompt = Arrays.copyOf(text, Math.min(promptTokens, text.length));
            decode(cached.model(), prompt); // warm-up
            decode(plain.model(), prompt);
            double[] withCache = new double[runs];
            double[] without = new double[runs];
            int[][] a = null;
            int[][] b = null;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                a = decode(cached.model(), prompt);
                withCache[r] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                b = decode(plain.model(), prompt);
                without[r] = (System.nanoTime() - t0) / 1e9;
            }
            boolean same = Arrays.deepEquals(a, b);
            double sc = BenchStats.median(withCache);
            double sn = BenchStats.median(without);
            double tokens = (double) beams * newTokens;
            if (json) {
                ObjectNode o = ModelManifest.JSON.createObjectNode();
                o.put("model", dir.getFileName().toString());
                o.put("prompt_tokens", prompt.length);
                o.put("new_tokens", newTokens);
                o.put("beams", beams);
                o.put("tokens_per_second_cache", tokens / sc);
                o.put("tokens_per_second_no_cache", tokens / sn);
                o.put("speedup", sn / sc);
                o.put("same_tokens", same);
                System.out.println(ModelManifest.JSON.writeValueAsString(o));
            } else {
                System.out.printf(Locale.ROOT, "%s: prompt %d tokens, %d new tokens, %d beams (median of %d runs)%n",
                        dir.getFileName(), prompt.length, newTokens, beams, runs);
                System.out.printf(Locale.ROOT, "  with KV cache:    %8.1f tokens/s  (%.1f ms/step)%n", tokens / sc,
                        1000 * sc / newTokens);
                System.out.printf(Locale.ROOT, "  without cache:    %8.1f tokens/s  (%.1f ms/step)%n", tokens / sn,
                        1000 * sn / newTokens);
                System.out.printf(Locale.ROOT, "  speed-up:         %8.2f x   same tokens: %s%n", sn / sc, same);
            }
            return same ? 0 : 1;
        }
    }

    private int[][] decode(LanguageModel lm, int[] prompt) {
        int[][] rows = new int[beams][];
        Arrays.fill(rows, prompt);
        int[][] out = new int[beams][newTokens];
        try (LanguageModel.Decoder d = lm.start(rows)) {
            for (int step = 0; step < newTokens; step++) {
                float[][] lp = d.checkedLogProbs();
                int[] parents = new int[beams];
                int[] tokens = new int[beams];
                for (int i = 0; i < beams; i++) {
                    parents[i] = (i + step) % beams;
                    float[] row = lp[parents[i]];
                    int best = 0;
                    for (int t = 1; t < row.length; t++) {
                        if (row[t] > row[best]) {
                            best = t;
                        }
                    }
                    tokens[i] = best;
                    out[i][step] = best;
                }
                if (step + 1 < newTokens) {
                    d.advance(parents, tokens);
                }
            }
        }
        return out;
    }

}
