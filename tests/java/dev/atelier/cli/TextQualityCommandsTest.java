package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.runtime.HfTokenizer;
import dev.atelier.base.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token healing and lookahead through {@code atelier text}, and {@code atelier eval-text} end to end. */
class TextQualityCommandsTest {
    static final String GPT2 = "tests/resources/lm-gpt2/cache";

    @Test
    void healingReChoosesTheLastPromptTokenAndKeepsThePromptText() throws Exception {
        // "The t" ends in the token " t", which " the", " to", " that", … extend.
        CliTestSupport.Result r = CliTestSupport.run("text", "--model", GPT2, "--prompt", "The t", "--phrase", "was",
                "--max-new-tokens", "6", "--beams", "3", "--json", "--threads", "1", "--token-healing");
        assertEquals(0, r.exit(), r.err());
        JsonNode o = ModelManifest.JSON.readTree(r.out()).get("outputs").get(0);
        assertTrue(o.get("text").asText().startsWith("The t"), o.toString());
        assertEquals(1, o.get("promptTokens").asInt(), "the backed-up token is generated again");
        try (HfTokenizer tok = HfTokenizer.load(Path.of(GPT2, "tokenizer.json"))) {
            int[] prompt = tok.encode("The t");
            assertEquals(2, prompt.length);
            assertEquals(prompt[0], o.get("tokens").get(0).asInt());
            String first = tok.decode(new int[] {o.get("tokens").get(1).asInt()});
            assertTrue(first.startsWith(" t"), first);
            for (JsonNode m : o.get("matches")) {
                assertTrue(m.get("start").asInt() >= 2, "constraints are matched after the healed token: " + o);
            }
        }
        r = CliTestSupport.run("text", "--model", GPT2, "--prompt", "The t", "--phrase", "was", "--max-new-tokens",
                "6", "--beams", "3", "--json", "--threads", "1", "--lookahead", "2",
                "--lookahead-weight", "0.5");
        assertEquals(0, r.exit(), r.err());
        o = ModelManifest.JSON.readTree(r.out()).get("outputs").get(0);
        assertEquals(2, o.get("promptTokens").asInt(), "healing is off by default");
        try (HfTokenizer tok = HfTokenizer.load(Path.of(GPT2, "tokenizer.json"))) {
            int[] prompt = tok.encode("The t");
            for (int i = 0; i < prompt.length; i++) {
                assertEquals(prompt[i], o.get("tokens").get(i).asInt(), "tokens start with the prompt's ids");
            }
        }
        assertTrue(o.get("satisfied").asBoolean(), o.toString());
    }

    @Test
    void badLookaheadSettingsAreUsageErrors() {
        CliTestSupport.Result r = CliTestSupport.run("text", "--model", GPT2, "--prompt", "The", "--lookahead", "9");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--lookahead"), r.err());
        r = CliTestSupport.run("text", "--model", GPT2, "--prompt", "The", "--lookahead-weight", "-1");
        assertEquals(2, r.exit());
        r = CliTestSupport.run("eval-text", "--corpus", "x", "--run", "strict lookahead=two");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("lookahead=two"), r.err());
        r = CliTestSupport.run("eval-text", "--corpus", "x", "--run", "greedy");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("hf or strict"), r.err());
    }

    @Test
    void evalTextReportsEveryRunOnTheSameHeldOutCases(@TempDir Path dir) throws Exception {
        // Ten documents, so that the tenth (in name order) is held out.
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus);
        String text = Files.readString(Path.of(LmCommandsTest.EXCERPT, "ca01"));
        for (int i = 1; i <= 10; i++) {
            Files.writeString(corpus.resolve(String.format("ca%02d", i)), text);
        }
        CliTestSupport.Result r = CliTestSupport.run("eval-text", "--model", GPT2, "--corpus", corpus.toString(),
                "--cases", "3", "--beams", "2", "--max-new-tokens", "24", "--judge-order", "2", "--json",
                "--threads", "1", "--run", "strict", "--run", "strict lookahead=0 healing=off", "--run", "hf");
        assertEquals(0, r.exit(), r.err());
        JsonNode root = ModelManifest.JSON.readTree(r.out());
        assertEquals(3, root.get("cases").asInt());
        assertEquals(3, root.get("runs").size());
        for (JsonNode run : root.get("runs")) {
            double cov = run.get("coverage").asDouble();
            assertTrue(cov >= 0 && cov <= 1, run.toString());
            assertTrue(run.get("meanLogProb").asDouble() < 0, run.toString());
            double pos = run.get("constraintPosition").asDouble();
            assertTrue(pos >= 0 && pos <= 1, run.toString());
            double d2 = run.get("distinct2").asDouble();
            assertTrue(d2 > 0 && d2 <= 1, run.toString());
            assertTrue(run.get("judgePerplexity").asDouble() > 1, run.toString());
            assertTrue(run.get("costVsPlain").asDouble() > 0, run.toString());
        }
        // strict mode always satisfies feasible constraints; the reference never beats itself
        assertEquals(1.0, root.get("runs").get(0).get("coverage").asDouble(), r.out());
        assertEquals(1.0, root.get("runs").get(1).get("coverage").asDouble(), r.out());
        assertEquals(0.0, root.get("runs").get(0).get("referenceWins").asDouble());
        assertFalse(r.out().contains("case 1/"), "progress goes to stderr");
    }
}
