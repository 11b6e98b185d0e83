package dev.atelier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.base.ModelManifest;
import org.junit.jupiter.api.Test;

class AtelierCommandTest {
    @Test
    void helpOfTheRootAndOfEverySubcommandExitsZero() {
        CliTestSupport.Result root = CliTestSupport.run("--help");
        assertEquals(0, root.exit());
        assertTrue(root.out().contains("Usage: atelier"), root.out());
        for (String sub : AtelierCommand.commandLine().getSubcommands().keySet()) {
            CliTestSupport.Result r = CliTestSupport.run(sub, "--help");
            assertEquals(0, r.exit(), sub + ": " + r.err());
            assertTrue(r.out().contains("Usage: atelier " + sub), r.out());
            assertEquals("", r.err(), sub + " --help wrote to stderr (a malformed description?)");
        }
    }

    @Test
    void badUsageExitsTwoWithAMessageAndNoStackTrace() {
        CliTestSupport.Result r = CliTestSupport.run("no-such-command");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unmatched argument"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(2, CliTestSupport.run("info", "--no-such-flag").exit());
    }

    @Test
    void badInputExitsOneWithTheFixAndAStackTraceOnlyWhenVerbose() {
        CliTestSupport.Result r = CliTestSupport.run("info", "--device", "tpu");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("Unknown device \"tpu\". Use auto, cpu or gpu."), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        CliTestSupport.Result v = CliTestSupport.run("info", "--device", "tpu", "--verbose");
        assertEquals(1, v.exit());
        assertTrue(v.err().contains("\tat dev.atelier"), v.err());
    }

    @Test
    void infoJsonIsOneDocumentNamingEngineVersionDeviceAndThreads() throws Exception {
        CliTestSupport.Result r = CliTestSupport.run("info", "--json", "--device", "cpu", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        JsonNode n = ModelManifest.JSON.readTree(r.out());
        assertEquals("PyTorch", n.get("engine").asText());
        assertTrue(n.get("pytorch").asText().matches("\\d+\\.\\d+\\.\\d+"), n.toString());
        assertEquals("CPU, 1 thread", n.get("device").asText());
        assertEquals(1, n.get("threads").asInt());
        assertTrue(n.get("models").isArray());
    }
}
