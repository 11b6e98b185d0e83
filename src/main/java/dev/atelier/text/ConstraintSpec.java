package dev.atelier.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.text.constraint.BannedPhrase;
import dev.atelier.text.constraint.ConstraintSet;
import dev.atelier.text.constraint.DisjunctiveConstraint;
import dev.atelier.text.constraint.OrderedConstraint;
import dev.atelier.text.constraint.PhrasalConstraint;
import dev.atelier.text.constraint.TemplateConstraint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A constraint as the user writes it (CLI flag or {@code --constraints} file), before tokenisation.
 *
 * @param kind the constraint kind
 * @param values the phrase (phrase, template, ban) or the options / ordered phrases (any, ordered)
 */
public record ConstraintSpec(Kind kind, List<String> values) {
    /** Constraint kinds, named as their CLI flags and JSON keys. */
    public enum Kind {
        /** {@code --phrase}: the phrase must appear. */
        PHRASE,
        /** {@code --any}: one of the options must appear. */
        ANY,
        /** {@code --ordered}: the phrases must appear in order, gaps allowed. */
        ORDERED,
        /** {@code --template}: words and gaps ({@code _} one token, {@code _N} N tokens). */
        TEMPLATE,
        /** {@code --ban}: the phrase must not appear. */
        BAN;

        /** @return the JSON key / flag name without dashes */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses a CLI flag value: options and ordered phrases are split on {@code |}.
     *
     * @param kind the flag's kind
     * @param value the flag's value
     * @return the spec
     */
    public static ConstraintSpec ofFlag(Kind kind, String value) {
        if (kind == Kind.ANY || kind == Kind.ORDERED) {
            return new ConstraintSpec(kind, List.of(value.split("\\|", -1)));
        }
        return new ConstraintSpec(kind, List.of(value));
    }

    /** One prompt of a {@code --constraints} file with its constraints. */
    public record PromptSpec(String prompt, List<ConstraintSpec> constraints) {
    }

    /**
     * Reads a {@code --constraints} file: {@code {"prompts":[{"prompt":"…","constraints":[{"phrase":"…"},
     * {"any":["…"]},{"ordered":["…"]},{"template":"…"},{"ban":"…"}]}]}}.
     *
     * @param file the JSON file
     * @return the prompts in file order
     */
    public static List<PromptSpec> readFile(Path file) {
        return parse(readDocument(file), file.toString());
    }

    /**
     * Reads a {@code --constraints} file as JSON, without interpreting it (the studio reads its own entry too).
     *
     * @param file the JSON file
     * @return the document
     * @throws AtelierException if it is missing, unreadable or not valid JSON
     */
    public static JsonNode readDocument(Path file) {
        JsonNode root;
        try {
            root = dev.atelier.Json.read(file);
        } catch (NoSuchFileException e) {
            throw new AtelierException("The constraints file " + file + " does not exist. Check the path.", e);
        } catch (JsonProcessingException e) {
            throw new AtelierException("The constraints file " + file + " is not valid JSON ("
                    + AtelierException.jsonProblem(e) + "). Fix it; the form is {\"prompts\":[{\"prompt\":\"The\","
                    + "\"constraints\":[{\"phrase\":\"is fast\"}]}]}.", e);
        } catch (IOException e) {
            throw new AtelierException("Cannot read the constraints file " + file + " (" + AtelierException.reason(e) + "). Check that it is "
                    + "a readable UTF-8 text file.", e);
        }
        return root;
    }

    /**
     * Reads the prompts of a {@code --constraints} document already parsed (see {@link #readFile(Path)}).
     *
     * @param root the JSON document
     * @param source where it came from, for messages (a file name)
     * @return the prompts in document order
     * @throws AtelierException naming the source, prompt and constraint that is wrong
     */
    public static List<PromptSpec> parse(JsonNode root, String source) {
        String file = source;
        JsonNode prompts = root == null ? null : root.get("prompts");
        if (prompts == null || !prompts.isArray() || prompts.isEmpty()) {
            throw new AtelierException("The constraints file " + file + " has no \"prompts\" list. Write "
                    + "{\"prompts\":[{\"prompt\":\"The\",\"constraints\":[{\"phrase\":\"is fast\"}]}]}.");
        }
        List<PromptSpec> out = new ArrayList<>();
        int pi = 0;
        for (JsonNode p : prompts) {
            String where = file + ", prompt " + pi;
            if (!p.path("prompt").isTextual()) {
                throw new AtelierException("In " + where + ": \"prompt\" is missing or not a string.");
            }
            List<ConstraintSpec> specs = new ArrayList<>();
            JsonNode cs = p.path("constraints");
            if (!cs.isMissingNode() && !cs.isArray()) {
                throw new AtelierException("In " + where + ": \"constraints\" must be a list.");
            }
            for (JsonNode c : cs) {
                specs.add(fromJson(c, where + ", constraint " + specs.size()));
            }
            out.add(new PromptSpec(p.get("prompt").asText(), specs));
            pi++;
        }
        return out;
    }

    /**
     * @return this constraint as one entry of a {@code --constraints} document, e.g. {@code {"phrase":"is fast"}}
     *     or {@code {"any":["rain","rains"]}}
     */
    public ObjectNode toJson() {
        ObjectNode n = dev.atelier.Json.MAPPER.createObjectNode();
        if (kind == Kind.ANY || kind == Kind.ORDERED) {
            ArrayNode a = n.putArray(kind.key());
            values.forEach(a::add);
        } else {
            n.put(kind.key(), values.isEmpty() ? "" : values.get(0));
        }
        return n;
    }

    /**
     * Reads one entry of a {@code --constraints} document (the inverse of {@link #toJson()}).
     *
     * @param c the entry, an object with one key
     * @param where where it is, for messages
     * @return the constraint
     * @throws AtelierException naming {@code where} and what is wrong
     */
    public static ConstraintSpec fromJson(JsonNode c, String where) {
        if (!c.isObject() || c.size() != 1) {
            throw new AtelierException("In " + where + ": each constraint is an object with one key: phrase, any, "
                    + "ordered, template or ban.");
        }
        Map.Entry<String, JsonNode> e = c.fields().next();
        Kind kind;
        try {
            kind = Kind.valueOf(e.getKey().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new AtelierException("In " + where + ": unknown constraint kind \"" + e.getKey() + "\". Use phrase, "
                    + "any, ordered, template or ban.");
        }
        JsonNode v = e.getValue();
        if (kind == Kind.ANY || kind == Kind.ORDERED) {
            if (!v.isArray()) {
                throw new AtelierException("In " + where + ": \"" + kind.key() + "\" takes a list of strings.");
            }
            List<String> values = new ArrayList<>();
            for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
                JsonNode s = it.next();
                if (!s.isTextual()) {
                    throw new AtelierException("In " + where + ": \"" + kind.key() + "\" takes a list of strings.");
                }
                values.add(s.asText());
            }
            return new ConstraintSpec(kind, values);
        }
        if (!v.isTextual()) {
            throw new AtelierException("In " + where + ": \"" + kind.key() + "\" takes a string.");
        }
        return new ConstraintSpec(kind, List.of(v.asText()));
    }

    /**
     * Tokenises constraints into a set, numbered in list order.
     *
     * @param specs the constraints
     * @param tokenizer the model's tokenizer (phrases in their mid-text form)
     * @param mode hf builds Hugging Face's disjunctive constraint (no prefix options)
     * @return the set
     * @throws AtelierException for an empty constraint, an unknown word, a template without words
     */
    public static ConstraintSet build(List<ConstraintSpec> specs, Tokenizer tokenizer, SearchMode mode) {
        ConstraintSet.Builder b = ConstraintSet.builder();
        for (int i = 0; i < specs.size(); i++) {
            try {
                add(b, i, specs.get(i), tokenizer, mode);
            } catch (AtelierException e) {
                throw AtelierException.about("constraint[" + i + "]", e);
            }
        }
        return b.build();
    }

    private static void add(ConstraintSet.Builder b, int i, ConstraintSpec s, Tokenizer tokenizer, SearchMode mode) {
        String label = "Constraint " + i + " (" + s.kind().key() + ")";
        String text = s.kind().key() + " \"" + String.join("|", s.values()) + "\"";
        switch (s.kind()) {
            case PHRASE:
                b.add(new PhrasalConstraint(encode(tokenizer, s.values().get(0), label)), text);
                break;
            case BAN:
                b.ban(new BannedPhrase(encode(tokenizer, s.values().get(0), label)), text);
                break;
            case ANY:
            case ORDERED: {
                if (s.values().isEmpty()) {
                    throw new AtelierException(label + " has no phrases. Give at least one.");
                }
                int[][] phrases = new int[s.values().size()][];
                for (int k = 0; k < phrases.length; k++) {
                    phrases[k] = encode(tokenizer, s.values().get(k), label + ", part " + (k + 1));
                }
                if (s.kind() == Kind.ORDERED) {
                    b.add(new OrderedConstraint(phrases), text);
                } else {
                    DisjunctiveConstraint d;
                    try {
                        d = mode == SearchMode.HF ? DisjunctiveConstraint.huggingFace(phrases)
                                : new DisjunctiveConstraint(phrases);
                    } catch (AtelierException e) {
                        throw e.prefixed(label + " \"" + String.join("|", s.values()) + "\": ");
                    }
                    b.add(d, text);
                }
                break;
            }
            case TEMPLATE:
                b.add(new TemplateConstraint(template(tokenizer, s.values().get(0), label)), text);
                break;
            default:
                throw new IllegalStateException(s.kind().toString());
        }
    }

    private static int[] encode(Tokenizer tokenizer, String text, String label) {
        if (text == null || text.isBlank()) {
            throw new AtelierException(label + " is empty. Give a phrase of at least one word.");
        }
        try {
            return tokenizer.encodePhrase(text);
        } catch (AtelierException e) {
            throw e.prefixed(label + ": ");
        }
    }

    private static int[] template(Tokenizer tokenizer, String text, String label) {
        if (text == null || text.isBlank()) {
            throw new AtelierException(label + " is empty. Give words and gaps, e.g. \"the _ School of _2 in\".");
        }
        List<Integer> pattern = new ArrayList<>();
        boolean anyWord = false;
        for (Object part : templateParts(text, label)) {
            if (part instanceof String words) {
                for (int t : encode(tokenizer, words, label)) {
                    pattern.add(t);
                }
                anyWord = true;
            } else {
                for (int k = 0; k < (Integer) part; k++) {
                    pattern.add(TemplateConstraint.GAP);
                }
            }
        }
        if (!anyWord) {
            throw new AtelierException(label + " \"" + text + "\" has no words, only gaps; it would match anything. "
                    + "Add at least one word, e.g. \"the _ School\".");
        }
        return pattern.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param template a template such as "the _ School of _2 in"
     * @return its runs of words in order ("the", "School of", "in"), as they are tokenised
     */
    public static List<String> templateWords(String template) {
        List<String> words = new ArrayList<>();
        for (Object part : templateParts(template == null ? "" : template, "The template")) {
            if (part instanceof String w) {
                words.add(w);
            }
        }
        return words;
    }

    /** The one template parser: runs of words (String) and gaps (Integer token counts), in order. */
    private static List<Object> templateParts(String text, String label) {
        List<Object> parts = new ArrayList<>();
        StringBuilder words = new StringBuilder();
        for (String w : text.strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            int gaps = gapCount(w, label);
            if (gaps == 0) {
                words.append(words.length() > 0 ? " " : "").append(w);
                continue;
            }
            if (words.length() > 0) {
                parts.add(words.toString());
                words.setLength(0);
            }
            parts.add(gaps);
        }
        if (words.length() > 0) {
            parts.add(words.toString());
        }
        return parts;
    }

    private static int gapCount(String w, String label) {
        if (!w.startsWith("_")) {
            return 0;
        }
        if (w.equals("_")) {
            return 1;
        }
        String n = w.substring(1);
        if (!n.chars().allMatch(Character::isDigit)) {
            return 0; // a word that merely starts with "_"
        }
        int count = n.length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(n); // "_99999999999" must not overflow
        if (count < 1 || count > 62) {
            throw new AtelierException(label + ": the gap \"" + w + "\" must span 1 to 62 tokens.");
        }
        return count;
    }
}
