package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.base.Engines;
import dev.atelier.runtime.JobContext;
import dev.atelier.runtime.JobHandle;
import dev.atelier.runtime.JobListener;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.JobOwner;
import dev.atelier.text.search.BeamSearch;
import dev.atelier.text.BeamSnapshot;
import dev.atelier.text.ConstraintPreview;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.TextModel;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintMatch;
import dev.atelier.text.constraint.ConstraintSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * Constrained beam search: {@link TextRequest} → {@link TextResult}, with a {@link BeamSnapshot} after every
 * step of a strict search as the partial result.
 */
public final class TextService extends LaneService<TextRequest, TextResult, BeamSnapshot> {
    private final Services services;

    TextService(Services services) {
        super(services.lane(), JobKind.TEXT);
        this.services = services;
    }

    /** Prompts as token ids and constraints as sets, checked against the model. */
    private record Prepared(List<int[]> ids, List<ConstraintSet> sets) {
    }

    private static Prepared prepare(TextModel tm, TextRequest r) {
        List<int[]> ids = new ArrayList<>();
        List<ConstraintSet> sets = new ArrayList<>();
        for (int i = 0; i < r.prompts().size(); i++) {
            ConstraintSpec.PromptSpec p = r.prompts().get(i);
            try {
                ids.add(tm.tokenizer().encodePrompt(p.prompt()));
            } catch (AtelierException e) {
                throw AtelierException.about("prompt[" + i + "]", e);
            }
            sets.add(ConstraintSpec.build(p.constraints(), tm.tokenizer(), r.search().mode()));
        }
        return new Prepared(ids, sets);
    }

    @Override
    TextResult execute(TextRequest r, JobContext<BeamSnapshot> ctx) {
        TextModel tm = services.textModel(ctx, r.model());
        Prepared p = prepare(tm, r);
        List<BeamSnapshot> steps = new ArrayList<>();
        long t0 = System.nanoTime();
        List<TextOutput> outputs;
        // One intra-op thread: the decoding steps are tiny (see Engines.singleThreaded).
        try (Engines.ThreadsRestore one = Engines.singleThreaded()) {
            outputs = BeamSearch.generate(tm.model(), tm.tokenizer(), p.ids(), p.sets(), r.search(), (step, max) -> {
                ctx.checkCancelled();
                ctx.progress((double) step / max, String.format(Locale.ROOT, "text: token %d of at most %d",
                        step + 1, max));
            }, ctx.wantsPartials() ? snapshot -> {
                BeamSnapshot decoded = snapshot.withTexts(tm.tokenizer()::decode);
                steps.add(decoded);
                ctx.partial(decoded);
            } : null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<TextResult.Output> decoded = new ArrayList<>();
        for (TextOutput o : outputs) {
            List<String> spans = new ArrayList<>();
            for (ConstraintMatch m : o.matches()) {
                spans.add(tm.tokenizer().decode(Arrays.copyOfRange(o.tokens(), m.start(), m.end())));
            }
            String text = tm.tokenizer().decode(o.tokens());
            int[] t = o.tokens();
            int shown = t.length > o.promptLength() && t[t.length - 1] == tm.model().eosId() ? t.length - 1 : t.length;
            decoded.add(new TextResult.Output(o, text, List.copyOf(spans), offsets(tm, t, text), shown));
        }
        return new TextResult(tm.name(), r, List.copyOf(decoded), seconds, List.copyOf(steps));
    }

    /**
     * @return where each token starts in {@code text}: the length of the decoded prefix before it, kept monotonic
     *     where a prefix does not decode to a prefix of the text (a character split across tokens)
     */
    static int[] offsets(TextModel tm, int[] tokens, String text) {
        int[] out = new int[tokens.length + 1];
        for (int k = 1; k < tokens.length; k++) {
            String prefix = tm.tokenizer().decode(Arrays.copyOf(tokens, k));
            out[k] = text.startsWith(prefix) ? prefix.length() : out[k - 1];
        }
        out[tokens.length] = text.length();
        return out;
    }

    /**
     * Previews constraints as the user types them: each set (one prompt's constraints, in order) tokenised by the
     * model with its warnings and errors ({@link ConstraintPreview#ofSet}). Queued as {@link JobKind#TEXT_PREVIEW}:
     * a newer preview of the same owner replaces a queued one.
     *
     * @return the handle; its result has one list of previews per set
     */
    public JobHandle<List<List<ConstraintPreview>>> preview(JobOwner owner, TextPreviewRequest r, Executor callbacks,
            JobListener<List<List<ConstraintPreview>>, Void> listener) {
        return services.lane().submit(owner, JobKind.TEXT_PREVIEW, ctx -> {
            TextModel tm = services.textModel(ctx, r.model());
            int[] specials = {tm.model().eosId(), tm.model().padId()};
            List<List<ConstraintPreview>> out = new ArrayList<>();
            for (List<ConstraintSpec> set : r.sets()) {
                out.add(ConstraintPreview.ofSet(set, tm.tokenizer(), r.mode(), r.maxNewTokens(), specials));
            }
            return out;
        }, callbacks, listener);
    }

    /**
     * How each prompt and constraint is tokenised (phrases as they appear mid-text), one line each: for checking
     * why a phrase does not match. Runs on the lane and waits.
     *
     * @return lines like {@code Prompt 0: "The" -> [1 "The"]}
     */
    public List<String> explain(JobOwner owner, TextRequest r) {
        return services.lane().run(owner, JobKind.INFO, ctx -> {
            TextModel tm = services.textModel(ctx, r.model());
            prepare(tm, r);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < r.prompts().size(); i++) {
                ConstraintSpec.PromptSpec p = r.prompts().get(i);
                lines.add(String.format("Prompt %d: \"%s\" -> %s", i, p.prompt(),
                        tokens(tm, tm.tokenizer().encodePrompt(p.prompt()))));
                List<ConstraintSpec> list = p.constraints();
                for (int c = 0; c < list.size(); c++) {
                    ConstraintSpec s = list.get(c);
                    for (String v : s.values()) {
                        if (s.kind() == ConstraintSpec.Kind.TEMPLATE) {
                            for (String part : ConstraintSpec.templateWords(v)) {
                                lines.add(String.format("  constraint %d (%s), words \"%s\" -> %s", c, s.kind().key(),
                                        part, tokens(tm, tm.tokenizer().encodePhrase(part))));
                            }
                        } else {
                            lines.add(String.format("  constraint %d (%s) \"%s\" -> %s", c, s.kind().key(), v,
                                    tokens(tm, tm.tokenizer().encodePhrase(v))));
                        }
                    }
                }
            }
            return lines;
        }, null);
    }

    private static String tokens(TextModel tm, int[] ids) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < ids.length; k++) {
            String piece = tm.tokenizer().decode(new int[] {ids[k]}).replace("\n", "\\n");
            sb.append(k == 0 ? "" : ", ").append(ids[k]).append(" \"").append(piece).append('"');
        }
        return sb.append(']').toString();
    }
}
