package dev.atelier.text.hf;

import dev.atelier.text.search.BeamSearch;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.BigramModel;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import dev.atelier.text.TextOutput;
import dev.atelier.text.Tokenizer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.text.constraint.ConstraintSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * hf mode on the toy bigram model must give exactly the outputs transformers 4.57 gave (reference data produced
 * with transformers, see hf-parity-public.json's "about").
 */
class HfParityTest {
    static final Path TOY = Path.of("tests/resources/text/toy-bigram.json");

    @Test
    void publicReferenceCases() throws Exception {
        runReference(Path.of("tests/resources/text/hf-parity-public.json"));
    }

    /**
     * 60 random cases (batches with padding, all settings, bans, disjunctions sharing prefixes) made with the real
     * transformers 4.57.6 on PyTorch 2.13 by tests/tools/hf_reference.py; the toy model's ties included.
     */
    @Test
    void randomReferenceCasesFromTransformers() throws Exception {
        runReference(Path.of("tests/resources/text/hf-parity-extra.json"));
    }

    /** Runs every case of a reference file and compares texts (with transformers' padding) and 4-decimal scores. */
    static void runReference(Path file) throws Exception {
        BigramModel model = BigramModel.read(TOY);
        Tokenizer tok = model.tokenizer();
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        int cases = 0;
        for (JsonNode c : root.get("cases")) {
            String name = c.get("name").asText();
            List<int[]> prompts = new ArrayList<>();
            for (JsonNode p : c.get("prompts")) {
                StringBuilder sb = new StringBuilder();
                for (JsonNode w : p) {
                    sb.append(sb.length() > 0 ? " " : "").append(w.asText());
                }
                prompts.add(tok.encodePrompt(sb.toString()));
            }
            List<ConstraintSpec> specs = new ArrayList<>();
            for (JsonNode k : c.get("constraints")) {
                Map.Entry<String, JsonNode> e = k.fields().next();
                ConstraintSpec.Kind kind = ConstraintSpec.Kind.valueOf(e.getKey().toUpperCase());
                List<String> values = new ArrayList<>();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(e.getValue().asText());
                }
                specs.add(new ConstraintSpec(kind, values));
            }
            ConstraintSet set = ConstraintSpec.build(specs, tok, SearchMode.HF);
            BeamSearchConfig cfg = config(c);
            List<TextOutput> outs = BeamSearch.generate(model, prompts, List.of(set), cfg, null);
            int longestPrompt = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
            int width = 0;
            for (TextOutput o : outs) {
                width = Math.max(width, longestPrompt - o.promptLength() + o.tokens().length);
            }
            List<String> got = new ArrayList<>();
            for (TextOutput o : outs) {
                int[] row = new int[width];
                java.util.Arrays.fill(row, model.padId());
                int left = longestPrompt - o.promptLength();
                System.arraycopy(o.tokens(), 0, row, left, o.tokens().length);
                got.add(tok.decode(row) + " | " + (o.score() == Double.NEGATIVE_INFINITY ? "-inf"
                        : String.format("%.4f", o.score())));
            }
            List<String> want = new ArrayList<>();
            for (JsonNode e : c.get("expect")) {
                want.add(e.get(0).asText() + " | " + (e.get(1).isTextual() ? e.get(1).asText()
                        : String.format("%.4f", e.get(1).asDouble())));
            }
            assertEquals(want, got, "case " + name);
            cases++;
        }
        assertEquals(root.get("cases").size(), cases);
    }

    private static BeamSearchConfig config(JsonNode c) {
        int numBeams = c.path("num_beams").asInt(3);
        int maxLength = c.path("max_length").asInt(6);
        Integer maxNew = c.has("max_new_tokens") ? c.get("max_new_tokens").asInt() : null;
        double lp = c.path("length_penalty").asDouble(1.0);
        JsonNode es = c.path("early_stopping");
        EarlyStopping early = es.isMissingNode() ? EarlyStopping.FALSE : EarlyStopping.parse(es.asText());
        int numReturn = c.path("num_return_sequences").asInt(1);
        int noRepeat = c.path("no_repeat_ngram_size").asInt(0);
        int minLength = c.path("min_length").asInt(0);
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("name", "prompts", "constraints", "expect", "num_beams", "max_length", "max_new_tokens",
                    "length_penalty", "early_stopping", "num_return_sequences", "no_repeat_ngram_size", "min_length")
                    .contains(f)) {
                throw new IllegalArgumentException("unknown setting in reference case: " + f);
            }
        }
        return new BeamSearchConfig(SearchMode.HF, numBeams, maxNew == null ? maxLength : null, maxNew, minLength, lp,
                early, numReturn, noRepeat);
    }
}
