package dev.atelier.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.base.ModelManifest;
import dev.atelier.text.BeamSnapshot;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintMatch;
import java.util.List;
import java.util.Locale;

/**
 * The outputs of a beam search, decoded, with what ran.
 *
 * @param model the model's display name
 * @param request what was asked
 * @param outputs ordered by prompt, then rank
 * @param seconds time spent in the search
 * @param steps every beam snapshot of the run in order (the live partials may skip some when the listener lags);
 *     empty when nobody listened to partial results (the command line)
 */
public record TextResult(String model, TextRequest request, List<Output> outputs, double seconds,
        List<BeamSnapshot> steps) {
    /**
     * One output sequence.
     *
     * @param output tokens, score, satisfied flag and constraint spans
     * @param text the whole sequence decoded, prompt included
     * @param matchTexts the decoded tokens of each span in {@code output.matches()}, in the same order
     * @param offsets where each token starts in {@code text} (the length of the decoded tokens before it), then
     *     {@code text.length()}: token {@code k} is {@code text.substring(offsets[k], offsets[k + 1])}
     * @param shown how many tokens a reader is shown: all but a final end-of-text token (the studio ends the
     *     displayed text at {@code offsets[shown]}; {@code text} keeps the token, as the command line prints it)
     */
    public record Output(TextOutput output, String text, List<String> matchTexts, int[] offsets, int shown) {
    }

    /** @return the constraints of prompt {@code i} */
    public List<ConstraintSpec> constraints(int i) {
        return request.prompts().get(i).constraints();
    }

    /**
     * @return the outputs as {@code atelier text --json} prints them (and the studio exports them):
     *     {@code {"outputs":[{"prompt","rank","tokens","text","promptTokens","score","satisfied","matches":[…]}]}}
     */
    public ObjectNode toJson() {
        ObjectNode root = ModelManifest.JSON.createObjectNode();
        ArrayNode list = root.putArray("outputs");
        for (Output decoded : outputs) {
            TextOutput o = decoded.output();
            ObjectNode n = list.addObject();
            n.put("prompt", o.prompt());
            n.put("rank", o.rank());
            ArrayNode toks = n.putArray("tokens");
            for (int t : o.tokens()) {
                toks.add(t);
            }
            n.put("text", decoded.text());
            n.put("promptTokens", o.promptLength());
            if (o.score() == Double.NEGATIVE_INFINITY) {
                n.put("score", "-inf");
            } else {
                n.put("score", Math.round(o.score() * 1e4) / 1e4);
            }
            n.put("satisfied", o.satisfied());
            ArrayNode ms = n.putArray("matches");
            for (ConstraintMatch m : o.matches()) {
                ms.addObject().put("constraint", m.constraint()).put("start", m.start()).put("end", m.end());
            }
        }
        return root;
    }

    /**
     * @return the outputs as {@code atelier text} prints them (and the studio exports them as text): the model and
     *     settings, then per prompt each output with its score, whether it is satisfied, and each constraint's span
     */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Model %s, %s mode, %d beams%n", model,
                request.search().mode().name().toLowerCase(Locale.ROOT), request.search().numBeams()));
        int last = -1;
        for (Output decoded : outputs) {
            TextOutput o = decoded.output();
            if (o.prompt() != last) {
                last = o.prompt();
                out.append(String.format("%nPrompt %d: %s%n", o.prompt(), request.prompts().get(o.prompt()).prompt()));
            }
            String score = o.score() == Double.NEGATIVE_INFINITY ? "-inf" : String.format(Locale.ROOT, "%.4f", o.score());
            out.append(String.format("  #%d  score %s  %s%n      %s%n", o.rank(), score,
                    o.satisfied() ? "satisfied" : "NOT satisfied", decoded.text()));
            for (int k = 0; k < o.matches().size(); k++) {
                ConstraintMatch m = o.matches().get(k);
                ConstraintSpec s = constraints(o.prompt()).get(m.constraint());
                out.append(String.format("      constraint %d (%s \"%s\"): tokens %d..%d \"%s\"%n", m.constraint(),
                        s.kind().key(), String.join("|", s.values()), m.start(), m.end() - 1,
                        decoded.matchTexts().get(k)));
            }
        }
        return out.toString();
    }
}
