package dev.atelier.runtime;

import ai.djl.Device;
import dev.atelier.base.Engines;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.AtelierException;
import dev.atelier.text.search.BeamSearch;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.SearchMode;
import dev.atelier.text.TextModel;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A random GPT-2 exported by the Hugging Face recipe of docs/MODELS.md (both TorchScript forms, made by
 * tests/tools/gpt2_fixture.py with transformers 4.57.6): Atelier must reproduce what transformers computed on the
 * same weights (reference.json) — next-token log-probabilities along fixed sequences, {@code generate}'s beam
 * search (one prompt, and a batch of prompts of different lengths that transformers pads), and constrained beam search with mid-text phrase tokens — with and without the KV cache. A wrong cached
 * export (positions-restart, made by the same script) is refused when loaded.
 */
class Gpt2ExportParityTest {
    static final Path DIR = Path.of("tests/resources/lm-gpt2");
    static final double LOG_PROB_TOLERANCE = 1e-4;
    /** Scores are recorded to 4 decimals. */
    static final double SCORE_TOLERANCE = 6e-4;
    static JsonNode ref;

    @BeforeAll
    static void setUp() throws Exception {
        Engines.configure(1);
        ref = new ObjectMapper().readTree(Files.readString(DIR.resolve("reference.json")));
    }

    @Test
    void cachedExportMatchesTransformers() {
        check(DIR.resolve("cache"), true);
    }

    @Test
    void cachedExportWithoutTheCacheMatchesTransformers() {
        check(DIR.resolve("cache"), false);
    }

    @Test
    void plainExportMatchesTransformers() {
        check(DIR.resolve("plain"), false);
    }

    /** A cached export whose new positions restart at 0 loads fine token by token but is refused on load. */
    @Test
    void aCacheThatDisagreesWithRecomputationIsRefused() {
        AtelierException e = assertThrows(AtelierException.class,
                () -> LanguageModels.load(DIR.resolve("positions-restart"), true, Device.cpu()));
        assertTrue(e.getMessage().contains("KV cache than without it"), e.getMessage());
    }

    private static void check(Path dir, boolean useCache) {
        try (LanguageModels.Loaded loaded = LanguageModels.load(dir, useCache, Device.cpu())) {
            TextModel text = loaded.toTextModel();
            LanguageModel lm = loaded.model();
            for (JsonNode s : ref.get("steps")) {
                int[] ids = ints(s.get("ids"));
                assertArrayEquals(ids, text.tokenizer().encodePrompt(s.get("prompt").asText()), "prompt tokens");
                int[] follow = ints(s.get("follow"));
                try (LanguageModel.Decoder d = lm.start(new int[][] {ids})) {
                    for (int j = 0; j <= follow.length; j++) {
                        assertTop(s.get("top").get(j), d.logProbs()[0], s.get("prompt").asText() + " step " + j);
                        if (j < follow.length) {
                            d.advance(new int[] {0}, new int[] {follow[j]});
                        }
                    }
                }
            }
            for (JsonNode c : ref.get("beam")) {
                BeamSearchConfig cfg = new BeamSearchConfig(SearchMode.HF, c.get("num_beams").asInt(), null,
                        c.get("max_new_tokens").asInt(), 0, 1.0, EarlyStopping.FALSE,
                        c.get("num_return_sequences").asInt(), 0);
                assertOutputs(c, BeamSearch.generate(lm, List.of(text.tokenizer().encodePrompt(
                        c.get("prompt").asText())), List.of(ConstraintSet.NONE), cfg, null));
            }
            for (JsonNode c : ref.get("batch")) {
                List<int[]> prompts = new ArrayList<>();
                c.get("prompts").forEach(p -> prompts.add(text.tokenizer().encodePrompt(p.asText())));
                BeamSearchConfig cfg = new BeamSearchConfig(SearchMode.HF, c.get("num_beams").asInt(), null,
                        c.get("max_new_tokens").asInt(), 0, 1.0, EarlyStopping.FALSE,
                        c.get("num_return_sequences").asInt(), 0);
                assertOutputs(c, BeamSearch.generate(lm, prompts, List.of(ConstraintSet.NONE), cfg, null));
            }
            for (JsonNode c : ref.get("constrained")) {
                String phrase = c.get("phrase").asText().strip();
                assertArrayEquals(ints(c.get("phrase_ids")), text.tokenizer().encodePhrase(phrase), "mid-text ids");
                List<String> options = new ArrayList<>();
                c.get("any").forEach(o -> options.add(o.asText().strip()));
                for (int i = 0; i < options.size(); i++) {
                    assertArrayEquals(ints(c.get("any_ids").get(i)), text.tokenizer().encodePhrase(options.get(i)));
                }
                ConstraintSet set = ConstraintSpec.build(List.of(new ConstraintSpec(ConstraintSpec.Kind.PHRASE,
                        List.of(phrase)), new ConstraintSpec(ConstraintSpec.Kind.ANY, options)), text.tokenizer(),
                        SearchMode.HF);
                BeamSearchConfig cfg = new BeamSearchConfig(SearchMode.HF, c.get("num_beams").asInt(),
                        c.get("max_length").asInt(), null, 0, 1.0, EarlyStopping.FALSE,
                        c.get("num_return_sequences").asInt(), 0);
                assertOutputs(c, BeamSearch.generate(lm, List.of(text.tokenizer().encodePrompt(
                        c.get("prompt").asText())), List.of(set), cfg, null));
            }
        }
    }

    /** The recorded top ids carry their log-probs, and no other id beats the last of them. */
    private static void assertTop(JsonNode top, float[] got, String where) {
        boolean[] listed = new boolean[got.length];
        double last = 0;
        for (JsonNode e : top) {
            int id = e.get(0).asInt();
            last = e.get(1).asDouble();
            listed[id] = true;
            assertEquals(last, got[id], LOG_PROB_TOLERANCE, where + ", id " + id);
        }
        for (int id = 0; id < got.length; id++) {
            assertTrue(listed[id] || got[id] <= last + LOG_PROB_TOLERANCE, where + ": id " + id + " missing from top");
        }
    }

    private static void assertOutputs(JsonNode c, List<TextOutput> outs) {
        JsonNode expect = c.get("expect");
        String what = c.has("prompt") ? c.get("prompt").asText() : c.get("prompts").toString();
        assertEquals(expect.size(), outs.size(), what);
        for (int i = 0; i < outs.size(); i++) {
            assertArrayEquals(ints(expect.get(i).get(0)), outs.get(i).tokens(), what + " #" + i);
            assertEquals(expect.get(i).get(1).asDouble(), outs.get(i).score(), SCORE_TOLERANCE);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }
}
