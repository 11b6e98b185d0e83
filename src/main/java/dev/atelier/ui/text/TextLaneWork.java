package dev.atelier.ui.text;

import dev.atelier.runtime.JobContext;
import dev.atelier.runtime.ModelLocator;
import dev.atelier.runtime.ModelManifest;
import dev.atelier.runtime.TextModels;
import dev.atelier.text.BeamSearch;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.ConstraintPreview;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import dev.atelier.text.TextModel;
import dev.atelier.text.TextOutput;
import dev.atelier.text.Tokenizer;
import dev.atelier.text.constraint.ConstraintMatch;
import dev.atelier.text.constraint.ConstraintSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The Text panel's work on the inference lane: previews of the chips and runs. Call only from the lane. */
final class TextLaneWork {
    private TextModel loaded;
    private String loadedSpec;

    /** One run as the panel asks for it. */
    record Run(String model, List<String> prompts, List<List<ConstraintSpec>> constraints, List<int[]> colours,
            List<List<String>> labels, SearchMode mode, int beams, int maxNewTokens, double lengthPenalty,
            EarlyStopping earlyStopping, int noRepeatNgram, int numReturn) {
    }

    /** Progress of a run: tokens generated so far. */
    record Step(int step, int maxSteps) {
    }

    /** What a run gives the panel. */
    record Outcome(List<ResultItem> results, int generatedTokens, double searchSeconds) {
    }

    /** @return the shipped language models' names (a manifest read each) */
    List<String> shippedLanguageModels() {
        List<String> out = new ArrayList<>();
        Path dir = ModelLocator.modelsDir();
        for (String name : ModelLocator.shippedNames()) {
            try {
                if ("language".equals(ModelManifest.read(dir.resolve(name)).kind)) {
                    out.add(name);
                }
            } catch (RuntimeException e) {
                // a broken shipped manifest is not offered
            }
        }
        return out;
    }

    private TextModel model(String spec) {
        if (loaded == null || !spec.equals(loadedSpec)) {
            if (loaded != null) {
                loaded.close();
                loaded = null;
            }
            loaded = TextModels.load(spec);
            loadedSpec = spec;
        }
        return loaded;
    }

    List<ConstraintPreview> preview(String spec, List<ConstraintSpec> specs, List<Integer> scopes, List<Boolean> on,
            int promptCount, SearchMode mode, int maxNewTokens) {
        TextModel tm = model(spec);
        int[] specials = {tm.model().eosId(), tm.model().padId()};
        Tokenizer tok = tm.tokenizer();
        List<ConstraintPreview> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ConstraintPreview p = ConstraintPreview.of(specs.get(i), tok, mode, maxNewTokens, specials);
            if (p.ok() && scopes.get(i) >= Math.max(1, promptCount)) {
                p = new ConstraintPreview(p.parts(), 0, p.warnings(), "Applies to prompt " + (scopes.get(i) + 1)
                        + ", but there " + (promptCount == 1 ? "is 1 prompt" : "are " + promptCount + " prompts")
                        + ". Choose another prompt or all prompts.");
            }
            out.add(p);
        }
        // set-level problems (a ban inside a required constraint) for every prompt's enabled chips
        for (int prompt = -1; prompt < promptCount; prompt++) {
            List<Integer> members = new ArrayList<>();
            List<ConstraintSpec> set = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                if (on.get(i) && (scopes.get(i) < 0 || scopes.get(i) == prompt)) {
                    members.add(i);
                    set.add(specs.get(i));
                }
            }
            List<ConstraintPreview> ps = ConstraintPreview.ofSet(set, tok, mode, maxNewTokens, specials);
            for (int k = 0; k < members.size(); k++) {
                int i = members.get(k);
                if (out.get(i).ok() && !ps.get(k).ok()) {
                    out.set(i, ps.get(k));
                }
            }
        }
        return out;
    }

    Outcome generate(Run run, JobContext ctx) {
        TextModel tm = model(run.model());
        Tokenizer tok = tm.tokenizer();
        List<int[]> ids = new ArrayList<>();
        List<ConstraintSet> sets = new ArrayList<>();
        for (int i = 0; i < run.prompts().size(); i++) {
            ids.add(tok.encodePrompt(run.prompts().get(i)));
            sets.add(ConstraintSpec.build(run.constraints().get(i), tok, run.mode()));
        }
        BeamSearchConfig cfg = new BeamSearchConfig(run.mode(), run.beams(), null, run.maxNewTokens(), 0,
                run.lengthPenalty(), run.earlyStopping(), run.numReturn(), run.noRepeatNgram());
        long t0 = System.nanoTime();
        int[] steps = {0};
        List<TextOutput> outputs = BeamSearch.generate(tm.model(), ids, sets, cfg, (step, max) -> {
            ctx.checkCancelled();
            steps[0] = step;
            ctx.partial(new Step(step, max));
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<ResultItem> items = new ArrayList<>();
        for (TextOutput o : outputs) {
            items.add(item(o, tok, run.colours().get(o.prompt()), run.labels().get(o.prompt())));
        }
        return new Outcome(items, (steps[0] + 1) * run.prompts().size(), seconds);
    }

    /** Cuts an output at every span boundary; each piece is the decoded difference of two prefixes. */
    static ResultItem item(TextOutput o, Tokenizer tok, int[] colours, List<String> labels) {
        int[] t = o.tokens();
        List<ResultItem.Span> spans = new ArrayList<>();
        TreeSet<Integer> cuts = new TreeSet<>(List.of(0, t.length));
        for (ConstraintMatch m : o.matches()) {
            spans.add(new ResultItem.Span(m.constraint(), m.start(), m.end()));
            cuts.add(m.start());
            cuts.add(m.end());
        }
        List<ResultItem.Segment> segments = new ArrayList<>();
        String full = tok.decode(t);
        String before = "";
        Integer prev = null;
        for (int cut : cuts) {
            if (prev != null) {
                String upTo = cut == t.length ? full : tok.decode(java.util.Arrays.copyOfRange(t, 0, cut));
                String text = upTo.startsWith(before) ? upTo.substring(before.length())
                        : tok.decode(java.util.Arrays.copyOfRange(t, prev, cut));
                List<Integer> covering = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (ResultItem.Span s : spans) {
                    if (s.start() <= prev && cut <= s.end()) {
                        covering.add(s.constraint());
                        names.add("constraint " + s.constraint() + ": " + (s.constraint() < labels.size()
                                ? labels.get(s.constraint()) : ""));
                    }
                }
                int colour = covering.isEmpty() ? -1 : colours[covering.get(0)];
                segments.add(new ResultItem.Segment(text, prev, cut, covering, colour, String.join("\n", names)));
                before = upTo;
            }
            prev = cut;
        }
        return new ResultItem(o.prompt(), o.rank(), full, t, segments, o.score(), o.satisfied(), spans);
    }
}
