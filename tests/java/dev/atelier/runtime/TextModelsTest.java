package dev.atelier.runtime;

import dev.atelier.base.EngineConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import dev.atelier.text.TextModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text-model loader: bigram files in, clear errors for everything else. */
class TextModelsTest {
    private static final EngineConfig CPU = new EngineConfig("cpu", 1, "the test");

    @Test
    void loadsTheToyBigramWithItsTokenizer() {
        try (TextModel m = TextModels.load(Path.of("tests/resources/text/toy-bigram.json"), CPU)) {
            assertEquals("toy-bigram.json", m.name());
            assertEquals(8, m.model().vocabSize());
            assertEquals(0, m.model().eosId());
            assertEquals(7, m.model().padId());
            assertArrayEquals(new int[] {1, 2}, m.tokenizer().encodePrompt("The  dog"));
            assertArrayEquals(new int[] {3, 4}, m.tokenizer().encodePhrase(" is fast "));
            assertEquals("The dog <eos>", m.tokenizer().decode(new int[] {1, 2, 0}));
            // ln p then log-softmax: after "The" the listed weights sum to 1 and 2 ids sit at the floor 1e-6
            float[] row = m.model().start(new int[][] {{1}}).logProbs()[0];
            double z = 1.0 + 2e-6;
            assertEquals(Math.log(0.6 / z), row[2], 1e-6);
            assertEquals(Math.log(1e-6 / z), row[1], 1e-5);
            double total = 0;
            for (float f : row) {
                total += Math.exp(f);
            }
            assertEquals(1.0, total, 1e-6);
        }
    }

    @Test
    void rejectsWhatIsNotATextModel(@TempDir Path dir) throws Exception {
        Path txt = Files.writeString(dir.resolve("model.txt"), "hello");
        assertThrows(AtelierException.class, () -> TextModels.load(txt, CPU));
        Path wrongFormat = Files.writeString(dir.resolve("m.json"), "{\"format\":\"other/1\"}");
        AtelierException e = assertThrows(AtelierException.class, () -> TextModels.load(wrongFormat, CPU));
        assertTrue(e.getMessage().contains("atelier-bigram/1"), e.getMessage());
        Path badId = Files.writeString(dir.resolve("b.json"), "{\"format\":\"atelier-bigram/1\",\"vocab\":[\"<eos>\","
                + "\"a\"],\"eos\":0,\"pad\":5,\"floor\":1e-6,\"next\":{}}");
        e = assertThrows(AtelierException.class, () -> TextModels.load(badId, CPU));
        assertTrue(e.getMessage().contains("pad"), e.getMessage());
        Path cm = Files.createDirectory(dir.resolve("cm"));
        Files.writeString(cm.resolve("manifest.json"), "{\"format\":\"atelier-model/1\",\"kind\":\"consistency\"}");
        e = assertThrows(AtelierException.class, () -> TextModels.load(cm, CPU));
        assertTrue(e.getMessage().contains("not \"language\""), e.getMessage());
        assertThrows(AtelierException.class, () -> TextModels.load(dir.resolve("missing.json"), CPU));
        try (TextModel m = TextModels.load(Path.of("tests/resources/text/toy-bigram.json"), CPU)) {
            e = assertThrows(AtelierException.class, () -> m.tokenizer().encodePhrase("is purple"));
            assertTrue(e.getMessage().contains("\"purple\""), e.getMessage());
        }
    }
}
