package dev.atelier.text.search;

import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.BeamSnapshot;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.SearchMode;
import dev.atelier.text.StepListener;
import dev.atelier.text.StrictBeamSearch;
import dev.atelier.text.TextOutput;
import dev.atelier.text.Tokenizer;

import dev.atelier.text.hf.HfBeamSearch;
import dev.atelier.text.hf.HfConstrainedBeamSearch;
import dev.atelier.AtelierException;
import dev.atelier.text.constraint.ConstraintSet;
import java.util.List;

/**
 * Beam search with lexical constraints over any {@link LanguageModel}: the entry point for the CLI, the studio
 * and benchmarks. {@link SearchMode#STRICT} is Atelier's search; {@link SearchMode#HF} reproduces transformers
 * 4.57 (plain beam search when no prompt has a required constraint, constrained beam search otherwise).
 */
public final class BeamSearch {
    private BeamSearch() {
    }

    /**
     * Generates for a batch of prompts.
     *
     * @param lm the model (used from the calling thread only)
     * @param prompts token ids per prompt, each non-empty
     * @param constraints one set per prompt, or a single set for all prompts
     * @param cfg search settings
     * @param listener step callback
     * @return outputs ordered by prompt, then rank; up to {@code numReturn} per prompt
     * @throws AtelierException for bad settings or constraints (checked before decoding)
     */
    public static List<TextOutput> generate(LanguageModel lm, List<int[]> prompts, List<ConstraintSet> constraints,
            BeamSearchConfig cfg, StepListener listener) {
        return generate(lm, null, prompts, constraints, cfg, listener, null);
    }

    /**
     * As {@link #generate(LanguageModel, List, List, BeamSearchConfig, StepListener)}, and in strict mode hands a
     * {@link BeamSnapshot} of every prompt's beams to {@code snapshots} after each step (hf mode sends none).
     *
     * @param snapshots receives the snapshots on the calling thread, or null (then none is built)
     */
    public static List<TextOutput> generate(LanguageModel lm, List<int[]> prompts, List<ConstraintSet> constraints,
            BeamSearchConfig cfg, StepListener listener, java.util.function.Consumer<BeamSnapshot> snapshots) {
        return generate(lm, null, prompts, constraints, cfg, listener, snapshots);
    }

    /**
     * Generates for a batch of prompts, with token healing of the prompt boundary when {@code cfg} asks for it.
     *
     * @param lm the model (used from the calling thread only)
     * @param tokenizer the model's tokenizer, which says which tokens extend a prompt's last token; null = no
     *     healing
     * @param prompts token ids per prompt, each non-empty
     * @param constraints one set per prompt, or a single set for all prompts
     * @param cfg search settings
     * @param listener step callback
     * @param snapshots receives a {@link BeamSnapshot} after each strict-mode step on the calling thread, or null
     * @return outputs ordered by prompt, then rank; up to {@code numReturn} per prompt. With token healing,
     *     an output whose boundary token was re-chosen as a longer token has a {@link TextOutput#promptLength()}
     *     that leaves out the backed-up token (its text still starts with the prompt text); one that kept the
     *     prompt's own token starts with the prompt's ids and counts all of them. Either way its score includes
     *     the log-probability of the re-chosen boundary token.
     * @throws AtelierException for bad settings or constraints (checked before decoding)
     */
    public static List<TextOutput> generate(LanguageModel lm, Tokenizer tokenizer, List<int[]> prompts,
            List<ConstraintSet> constraints, BeamSearchConfig cfg, StepListener listener,
            java.util.function.Consumer<BeamSnapshot> snapshots) {
        if (prompts.isEmpty()) {
            throw new AtelierException("No prompt given. Give at least one prompt.");
        }
        List<ConstraintSet> sets = constraints;
        if (sets.size() == 1 && prompts.size() > 1) {
            sets = java.util.Collections.nCopies(prompts.size(), sets.get(0));
        }
        if (sets.size() != prompts.size()) {
            throw new AtelierException("Got " + sets.size() + " constraint sets for " + prompts.size() + " prompts; "
                    + "give one per prompt or one for all.");
        }
        int[] specials = {lm.eosId(), lm.padId()};
        int longest = 0;
        boolean anyRequired = false;
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            if (p.length == 0) {
                throw new AtelierException("Prompt " + i + " is empty. Give at least one token.");
            }
            for (int t : p) {
                if (t < 0 || t >= lm.vocabSize()) {
                    throw new AtelierException("Prompt " + i + " contains the token id " + t + ", outside the model's "
                            + "vocabulary of " + lm.vocabSize() + ".");
                }
            }
            sets.get(i).validate(specials, "prompt " + i);
            longest = Math.max(longest, p.length);
            anyRequired |= !sets.get(i).required().isEmpty();
        }
        StepListener l = listener == null ? StepListener.NONE : listener;
        if (cfg.mode() == SearchMode.HF) {
            int maxLength = cfg.maxNewTokens() != null ? longest + cfg.maxNewTokens() : cfg.maxLength();
            if (maxLength <= longest) {
                throw AtelierException.field("maxLength", "{maxLength} " + maxLength + " leaves no room to generate "
                        + "after the " + (prompts.size() > 1 ? "padded prompts" : "prompt") + " of " + longest
                        + " tokens. Raise {maxLength} or use {maxNewTokens}.");
            }
            checkContext(lm, maxLength);
            return anyRequired
                    ? HfConstrainedBeamSearch.run(lm, prompts, sets, maxLength, cfg, l)
                    : HfBeamSearch.run(lm, prompts, sets, maxLength, cfg, l);
        }
        int[] maxNew = new int[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            int len = prompts.get(i).length;
            maxNew[i] = cfg.maxNewTokens() != null ? cfg.maxNewTokens() : cfg.maxLength() - len;
            if (maxNew[i] < 1) {
                throw AtelierException.field("maxLength", "Prompt " + i + " has " + len + " tokens, so {maxLength} "
                        + cfg.maxLength() + " leaves no room to generate. Raise {maxLength} or use {maxNewTokens}.");
            }
            checkContext(lm, len + maxNew[i]);
            sets.get(i).checkFits(maxNew[i], "prompt " + i);
        }
        return StrictBeamSearch.run(lm, tokenizer, prompts, sets, maxNew, cfg, l, snapshots);
    }

    private static void checkContext(LanguageModel lm, int total) {
        if (total > lm.contextLength()) {
            throw AtelierException.field("maxNewTokens", "The model reads at most " + lm.contextLength() + " tokens, "
                    + "but prompt and generation may reach " + total + ". Lower {maxNewTokens} or {maxLength}, or "
                    + "shorten the prompt.");
        }
    }
}
