package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.runtime.JobContext;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.JobOwner;
import dev.atelier.text.BeamSearch;
import dev.atelier.text.BeamSnapshot;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.TextModel;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintMatch;
import dev.atelier.text.constraint.ConstraintSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
        long t0 = System.nanoTime();
        List<TextOutput> outputs = BeamSearch.generate(tm.model(), tm.tokenizer(), p.ids(), p.sets(), r.search(),
                (step, max) -> {
            ctx.checkCancelled();
            ctx.progress((double) step / max, String.format(Locale.ROOT, "text: token %d of at most %d", step + 1,
                    max));
        }, ctx.wantsPartials() ? snapshot -> ctx.partial(snapshot.withTexts(tm.tokenizer()::decode)) : null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<TextResult.Output> decoded = new ArrayList<>();
        for (TextOutput o : outputs) {
            List<String> spans = new ArrayList<>();
            for (ConstraintMatch m : o.matches()) {
                spans.add(tm.tokenizer().decode(Arrays.copyOfRange(o.tokens(), m.start(), m.end())));
            }
            decoded.add(new TextResult.Output(o, tm.tokenizer().decode(o.tokens()), List.copyOf(spans)));
        }
        return new TextResult(tm.name(), r, List.copyOf(decoded), seconds);
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
