package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code atelier text} as docs/FORMATS.md defines it: flags, exit codes, the JSON document. */
class TextCommandTest {
    static final String TOY = "tests/resources/text/toy-bigram.json";

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = AtelierCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String[] args(String... rest) {
        List<String> a = new ArrayList<>(List.of("text", "--model", TOY));
        a.addAll(List.of(rest));
        return a.toArray(new String[0]);
    }

    @Test
    void jsonDocumentMatchesTheContractExample() throws Exception {
        Run r = run(args("--prompt", "The", "--phrase", "is fast", "--beams", "3", "--max-length", "6", "--mode", "hf",
                "--json"));
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(1, root.size(), "one key: outputs");
        JsonNode o = root.get("outputs").get(0);
        assertEquals(0, o.get("prompt").asInt());
        assertEquals(0, o.get("rank").asInt());
        assertEquals("[1,2,3,4,0]", o.get("tokens").toString());
        assertEquals("The dog is fast <eos>", o.get("text").asText());
        assertEquals(-0.7925, o.get("score").asDouble(), 0.0);
        assertTrue(o.get("satisfied").asBoolean());
        assertEquals("[{\"constraint\":0,\"start\":2,\"end\":4}]", o.get("matches").toString());
    }

    @Test
    void constraintFlagsAreNumberedInCommandLineOrderAcrossKinds() throws Exception {
        Run r = run(args("--prompt", "The", "--ban", "slow", "--any=fast|and dog", "--template", "dog _ fast",
                "--beams", "3", "--json"));
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out()).get("outputs").get(0);
        assertTrue(o.get("satisfied").asBoolean(), r.out());
        assertFalse(o.get("text").asText().contains("slow"), r.out());
        List<Integer> numbers = new ArrayList<>();
        o.get("matches").forEach(m -> numbers.add(m.get("constraint").asInt()));
        assertEquals(List.of(1, 2), numbers, "the ban is constraint 0 and has no span");
    }

    @Test
    void perPromptConstraintsFileAndOrderingByPromptThenRank(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"prompts\":[{\"prompt\":\"The\",\"constraints\":[{\"phrase\":\"is fast\"}]},"
                + "{\"prompt\":\"dog\",\"constraints\":[{\"ordered\":[\"and\",\"slow\"]},{\"ban\":\"is\"}]}]}");
        Run r = run("text", "--model", TOY, "--constraints", file.toString(), "--beams", "3", "--num-return", "2",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode outs = new ObjectMapper().readTree(r.out()).get("outputs");
        assertEquals(4, outs.size());
        int[][] order = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        for (int i = 0; i < 4; i++) {
            assertEquals(order[i][0], outs.get(i).get("prompt").asInt());
            assertEquals(order[i][1], outs.get(i).get("rank").asInt());
            assertTrue(outs.get(i).get("satisfied").asBoolean(), outs.get(i).toString());
        }
        assertTrue(outs.get(0).get("text").asText().contains("is fast"));
        assertFalse(outs.get(2).get("text").asText().contains(" is "), outs.get(2).toString());
        assertTrue(outs.get(0).get("score").asDouble() >= outs.get(1).get("score").asDouble());
    }

    @Test
    void badConstraintsFilesNameTheProblemWithoutParserInternals(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"prompts\":[{\"prompt\":\"The\",\n\"constraints\":[{\"phrase\":\"is fast\"");
        Run r = run("text", "--model", TOY, "--constraints", broken.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("not valid JSON (line 2"), r.err());
        assertFalse(r.err().contains("REDACTED") || r.err().contains("StreamReadFeature"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        Run missing = run("text", "--model", TOY, "--constraints", dir.resolve("none.json").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    @Test
    void brokenBigramFilesNameTheProblem(@TempDir Path dir) throws Exception {
        Path truncated = dir.resolve("truncated.json");
        Files.writeString(truncated, "{\"format\": \"atelier-bigram/1\",\n \"vocab\": [\"a\",");
        Run r = run("text", "--model", truncated.toString(), "--prompt", "a");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("not valid JSON (line 2") && !r.err().contains("REDACTED"), r.err());
        Path badId = dir.resolve("bad-id.json");
        Files.writeString(badId, Files.readString(Path.of(TOY)).replace("\"2\": {\"3\": 0.50", "\"2\": {\"42\": 0.50"));
        Run id = run("text", "--model", badId.toString(), "--prompt", "The");
        assertEquals(1, id.code(), id.err());
        assertTrue(id.err().contains("an id in \"next\" row 2 is 42, outside the vocabulary"), id.err());
    }

    @Test
    void bothLengthsIsAUsageError() {
        Run r = run(args("--prompt", "The", "--max-length", "6", "--max-new-tokens", "3"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not both"), r.err());
        assertEquals(2, run(args("--prompt", "The", "--mode", "greedy")).code());
        assertEquals(2, run(args("--prompt", "The", "--early-stopping", "maybe")).code());
        assertEquals(2, run("text", "--model", TOY).code(), "no prompt");
        assertEquals(2, run(args("--prompt", "The", "--beams", "2", "--num-return", "3")).code());
        assertEquals(2, run(args("--prompt", "The", "--beams", "1", "--mode", "hf")).code());
        assertEquals(2, run(args("--prompt", "The", "--max-new-tokens", "0")).code());
        assertEquals(2, run(args("--prompt", "The", "--length-penalty", "NaN")).code());
    }

    @Test
    void badConstraintsFailWithAClearMessage() {
        Run unknown = run(args("--prompt", "The", "--phrase", "is purple"));
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("\"purple\""), unknown.err());
        assertFalse(unknown.err().contains("at dev.atelier"), "no stack trace without --verbose");
        Run empty = run(args("--prompt", "The", "--phrase", " "));
        assertEquals(1, empty.code());
        assertTrue(empty.err().contains("empty"), empty.err());
        Run clash = run(args("--prompt", "The", "--phrase", "is fast", "--ban", "is fast"));
        assertEquals(1, clash.code());
        assertTrue(clash.err().contains("bans"), clash.err());
        Run gaps = run(args("--prompt", "The", "--template", "_ _2"));
        assertEquals(1, gaps.code());
        assertTrue(gaps.err().contains("no words"), gaps.err());
        Run emptyOption = run(args("--prompt", "The", "--any", "fast|"));
        assertEquals(1, emptyOption.code());
        Run tooLong = run(args("--prompt", "The", "--ordered", "dog is|fast and|slow", "--max-new-tokens", "3"));
        assertEquals(1, tooLong.code());
        assertTrue(tooLong.err().contains("needs at least 5"), tooLong.err());
        Run hfPrefix = run(args("--prompt", "The", "--any", "is|is fast", "--mode", "hf"));
        assertEquals(1, hfPrefix.code());
        assertNotEquals(0, run(args("--prompt", "purple")).code());
    }

    @Test
    void aBanThatRulesOutOneOptionLeavesTheOthers() throws Exception {
        Run r = run(args("--prompt", "The", "--any", "fast|slow", "--ban", "fast", "--json"));
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out()).get("outputs").get(0);
        assertTrue(o.get("satisfied").asBoolean(), r.out());
        assertTrue(o.get("text").asText().contains("slow") && !o.get("text").asText().contains("fast"), r.out());
        Run both = run(args("--prompt", "The", "--any", "fast|slow", "--ban", "fast", "--ban", "slow"));
        assertEquals(1, both.code());
        assertTrue(both.err().contains("Every option"), both.err());
    }

    /** The ratio compares equal work: both searches score the same beam rows (no prompt ends early in one only). */
    @Test
    void benchTextComparesConstrainedAndPlainSearchOnEqualWork() throws Exception {
        Run r = run("bench", "text", "--vocab", "60", "--beams", "3", "--prompts", "2", "--max-new-tokens", "8",
                "--repeats", "1", "--json", "--lookahead", "0");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals(1.25, n.get("target").asDouble());
        assertEquals(n.get("plainRowsScored").asLong(), n.get("constrainedRowsScored").asLong(), r.out());
        assertEquals(2 * (1 + 3 * 7), n.get("plainRowsScored").asLong(), "2 prompts: 1 row, then 3 beams for 7 steps");
        assertEquals(2, n.get("satisfiedOutputs").asInt(), r.out());
        assertEquals(n.get("constrainedMsPerToken").asDouble() / n.get("plainMsPerToken").asDouble(),
                n.get("ratio").asDouble(), 1e-9);
        // With lookahead the decoder also runs the shortlisted candidates' rows (at most 2 per beam and step).
        r = run("bench", "text", "--vocab", "60", "--beams", "3", "--prompts", "2", "--max-new-tokens", "8",
                "--repeats", "1", "--json", "--lookahead", "1");
        assertEquals(0, r.code(), r.err());
        JsonNode la = new ObjectMapper().readTree(r.out());
        assertEquals(3.0, la.get("target").asDouble());
        assertEquals(2, la.get("satisfiedOutputs").asInt(), r.out());
        long rows = la.get("constrainedRowsScored").asLong();
        assertTrue(rows > la.get("plainRowsScored").asLong() && rows <= 2 * (1 + 2 * 3 * 7), r.out());
    }

    @Test
    void humanReadableOutputShowsSpans() {
        Run r = run(args("--prompt", "The", "--phrase", "is fast"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("satisfied"), r.out());
        assertTrue(r.out().contains("constraint 0 (phrase \"is fast\")"), r.out());
    }
}
