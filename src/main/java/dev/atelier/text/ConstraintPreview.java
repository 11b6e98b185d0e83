package dev.atelier.text;

import dev.atelier.AtelierException;
import dev.atelier.text.constraint.Constraint;
import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.TemplateConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one constraint becomes in a model's tokens and what may go wrong with it, for a form that shows the
 * tokens as the user types: the pieces of every phrase (a leading space drawn as {@code ▁}), warnings (a word
 * split into many pieces, an any-of group hf mode would reject), notes (the different form a phrase has at the start
 * of a line, where it is not matched: true of nearly every phrase, so information rather than a warning) and
 * the error that stops generation (empty, a word the model cannot spell, a special token, longer than the
 * length budget, a ban that contradicts a required constraint). Messages are in the user's words, no flags.
 *
 * @param parts one per phrase, option or ordered part (a template is one part, gaps drawn as {@code _})
 * @param minTokens the fewest generated tokens that satisfy it (0 for a ban or when it has an error)
 * @param warnings problems that do not stop generation
 * @param notes information about how it is matched (its line-start form)
 * @param error why it cannot be generated, or null
 */
public record ConstraintPreview(List<Part> parts, int minTokens, List<String> warnings, List<String> notes,
                                String error) {
    /** A word with more pieces than this is flagged as split oddly. */
    static final int ODD_SPLIT_PIECES = 3;

    /**
     * One phrase as the model sees it.
     *
     * @param text what the user typed
     * @param ids the token ids ({@link TemplateConstraint#GAP} for a template's gap); empty when it has an error
     * @param pieces each id decoded on its own, a leading space shown as {@code ▁}, a gap as {@code _}
     */
    public record Part(String text, int[] ids, List<String> pieces) {
    }

    /** @return the same preview with {@code reason} as its error (it then stops generation) */
    public ConstraintPreview withError(String reason) {
        return new ConstraintPreview(parts, 0, warnings, notes, reason);
    }

    /** @return whether the constraint can be generated */
    public boolean ok() {
        return error == null;
    }

    /** @return the pieces of every part, parts separated by {@code " | "}, e.g. {@code ▁is ▁fast | ▁slow} */
    public String tokenLine() {
        List<String> out = new ArrayList<>();
        for (Part p : parts) {
            out.add(String.join(" ", p.pieces()));
        }
        return String.join(" | ", out);
    }

    /**
     * Previews the constraints of one prompt: each on its own, then a ban that occurs inside a required constraint
     * gets that conflict as its error.
     *
     * @param specs the constraints in order
     * @param tokenizer the model's tokenizer
     * @param mode the search mode (hf rejects any-of options that are prefixes of others)
     * @param maxNewTokens the length budget of the search
     * @param specialTokens ids that may not appear in constraints (EOS, pad)
     * @return one preview per spec, in order
     */
    public static List<ConstraintPreview> ofSet(List<ConstraintSpec> specs, Tokenizer tokenizer, SearchMode mode,
            int maxNewTokens, int[] specialTokens) {
        List<ConstraintPreview> out = new ArrayList<>();
        for (ConstraintSpec s : specs) {
            out.add(of(s, tokenizer, mode, maxNewTokens, specialTokens));
        }
        for (int b = 0; b < specs.size(); b++) {
            if (specs.get(b).kind() != ConstraintSpec.Kind.BAN || !out.get(b).ok()) {
                continue;
            }
            for (int r = 0; r < specs.size(); r++) {
                if (specs.get(r).kind() == ConstraintSpec.Kind.BAN || !out.get(r).ok()) {
                    continue;
                }
                try {
                    ConstraintSpec.build(List.of(specs.get(r), specs.get(b)), tokenizer, mode)
                            .validate(specialTokens, "this prompt");
                } catch (AtelierException e) {
                    ConstraintPreview p = out.get(b);
                    out.set(b, p.withError("Bans words that constraint "
                            + (r + 1) + " (" + specs.get(r).kind().key() + " \"" + String.join("|", specs.get(r).values())
                            + "\") requires: no output could satisfy both. Remove the ban or change that constraint."));
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Previews one constraint.
     *
     * @param spec the constraint as typed
     * @param tokenizer the model's tokenizer
     * @param mode the search mode
     * @param maxNewTokens the length budget of the search
     * @param specialTokens ids that may not appear in constraints (EOS, pad)
     * @return its preview; never throws for bad input
     */
    public static ConstraintPreview of(ConstraintSpec spec, Tokenizer tokenizer, SearchMode mode, int maxNewTokens,
            int[] specialTokens) {
        List<Part> parts = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (spec.values().isEmpty()) {
            return new ConstraintPreview(parts, 0, warnings, List.of(), "Has no phrases. Add at least one.");
        }
        String error = null;
        List<String> lineStart = new ArrayList<>();
        for (int k = 0; k < spec.values().size(); k++) {
            String text = spec.values().get(k);
            String which = spec.values().size() > 1 ? (spec.kind() == ConstraintSpec.Kind.ANY ? "Option " : "Part ")
                    + (k + 1) + " is empty. " : "Is empty. ";
            if (text == null || text.isBlank()) {
                error = error != null ? error : which + (spec.kind() == ConstraintSpec.Kind.TEMPLATE
                        ? "Type words and gaps, e.g. \"the _ of _2 in\"." : "Type at least one word.");
                parts.add(new Part(text == null ? "" : text, new int[0], List.of()));
                continue;
            }
            try {
                if (spec.kind() == ConstraintSpec.Kind.TEMPLATE) {
                    Constraint c = ConstraintSpec.build(List.of(spec), tokenizer, mode).required().get(0);
                    int[] pattern = ((TemplateConstraint) c).pattern();
                    parts.add(new Part(text, pattern, pieces(tokenizer, pattern)));
                    for (String word : text.strip().split("\\s+")) {
                        if (!word.matches("_\\d*")) {
                            warnWord(tokenizer, word, warnings);
                        }
                    }
                    continue;
                }
                int[] ids = tokenizer.encodePhrase(text);
                parts.add(new Part(text, ids, pieces(tokenizer, ids)));
                for (String word : text.strip().split("\\s+")) {
                    warnWord(tokenizer, word, warnings);
                }
                lineStartForm(tokenizer, text, ids, lineStart);
                if (error == null) {
                    error = special(ids, specialTokens, tokenizer);
                }
            } catch (AtelierException e) {
                error = error != null ? error : stripLabel(e.getMessage());
                parts.add(new Part(text, new int[0], List.of()));
            }
        }
        if (!lineStart.isEmpty()) {
            notes.add("Matched mid-text; at the start of a line " + (lineStart.size() == 1 ? "it is " : "they are ")
                    + String.join(", ", lineStart) + ", not matched there.");
        }
        int minTokens = 0;
        if (error == null && spec.kind() == ConstraintSpec.Kind.ANY) {
            String reject = hfRejects(parts);
            if (reject != null) {
                if (mode == SearchMode.HF) {
                    error = "hf mode rejects this group: " + reject + ". Remove the shorter option, or switch to "
                            + "strict mode, which allows it.";
                } else {
                    warnings.add("hf mode would reject this group: " + reject + ".");
                }
            }
        }
        if (error == null && spec.kind() != ConstraintSpec.Kind.BAN) {
            try {
                ConstraintSet set = ConstraintSpec.build(List.of(spec), tokenizer, SearchMode.STRICT);
                minTokens = set.required().get(0).minLength();
                if (minTokens > maxNewTokens) {
                    error = "Needs at least " + minTokens + " generated tokens, but only " + maxNewTokens + " may be "
                            + "generated. Raise the number of new tokens, or shorten it.";
                }
            } catch (AtelierException e) {
                error = stripLabel(e.getMessage());
            }
        }
        return new ConstraintPreview(List.copyOf(parts), error == null ? minTokens : 0, List.copyOf(warnings),
                List.copyOf(notes), error);
    }

    /** @return each id decoded alone, a leading space as {@code ▁}, a line break as {@code ↵}, a gap as {@code _} */
    public static List<String> pieces(Tokenizer tokenizer, int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id == TemplateConstraint.GAP) {
                out.add("_");
                continue;
            }
            String s = tokenizer.decode(new int[] {id}).replace("\n", "↵");
            out.add(s.startsWith(" ") ? "▁" + s.substring(1) : s);
        }
        return out;
    }

    private static void warnWord(Tokenizer tokenizer, String word, List<String> warnings) {
        int[] ids;
        try {
            ids = tokenizer.encodePhrase(word);
        } catch (AtelierException e) {
            return; // reported as the part's error
        }
        if (ids.length >= ODD_SPLIT_PIECES) {
            String w = "\"" + word + "\" is split into " + ids.length + " pieces (" + String.join(" ",
                    pieces(tokenizer, ids)) + "): the model rarely writes it, so forcing it may read oddly.";
            if (!warnings.contains(w)) {
                warnings.add(w);
            }
        }
    }

    /** A phrase is matched in its mid-text form; notes its form at the start of a text or line when it differs. */
    private static void lineStartForm(Tokenizer tokenizer, String text, int[] midText, List<String> out) {
        int[] start;
        try {
            start = tokenizer.encodePrompt(text.strip());
        } catch (AtelierException e) {
            return;
        }
        if (!Arrays.equals(start, midText)) {
            out.add("\"" + text.strip() + "\" → " + String.join(" ", pieces(tokenizer, start)));
        }
    }

    private static String special(int[] ids, int[] specialTokens, Tokenizer tokenizer) {
        for (int t : ids) {
            for (int s : specialTokens) {
                if (t == s) {
                    return "Contains the special token " + tokenizer.decode(new int[] {s}).strip() + " (end of text or "
                            + "padding), which never appears inside generated text. Remove it.";
                }
            }
        }
        return null;
    }

    /** @return why Hugging Face's disjunctive constraint would refuse these options, or null */
    private static String hfRejects(List<Part> parts) {
        for (int a = 0; a < parts.size(); a++) {
            for (int b = 0; b < parts.size(); b++) {
                int[] x = parts.get(a).ids();
                int[] y = parts.get(b).ids();
                if (a == b || x.length > y.length || !Arrays.equals(x, 0, x.length, y, 0, x.length)) {
                    continue;
                }
                if (x.length == y.length) {
                    if (a < b) {
                        return "\"" + parts.get(a).text() + "\" and \"" + parts.get(b).text() + "\" are the same tokens";
                    }
                    continue;
                }
                return "\"" + parts.get(a).text() + "\" (" + String.join(" ", parts.get(a).pieces()) + ") is the start "
                        + "of \"" + parts.get(b).text() + "\" (" + String.join(" ", parts.get(b).pieces()) + ")";
            }
        }
        return null;
    }

    /** Drops the "Constraint 0 (phrase): " prefix the builder adds; the chip already says which it is. */
    private static String stripLabel(String message) {
        String m = message == null ? "" : message;
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.startsWith("constraint ")) {
            int colon = m.indexOf(": ");
            int close = m.indexOf(") ");
            int cut = colon >= 0 ? colon + 2 : close >= 0 ? close + 2 : 0;
            m = m.substring(cut);
            if (!m.isEmpty()) {
                m = Character.toUpperCase(m.charAt(0)) + m.substring(1);
            }
        }
        return m;
    }
}
