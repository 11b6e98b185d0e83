package dev.atelier.runtime;

import ai.djl.Device;
import dev.atelier.base.Engines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import dev.atelier.text.LanguageModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TorchScript fixtures (tests/resources/lm-torchscript, made by make_fixtures.py): one network exported
 * without and with a KV cache. The two exports must agree, cached decoding must agree with full
 * recomputation, and broken model directories must be refused with a clear message.
 */
class TorchScriptLanguageModelTest {
    static final Path PLAIN = Path.of("tests/resources/lm-torchscript/tiny-plain");
    static final Path CACHE = Path.of("tests/resources/lm-torchscript/tiny-cache");

    @BeforeAll
    static void engine() {
        Engines.configure(1);
    }

    @Test
    void bothExportsAgreeWithAndWithoutTheCacheAcrossBeamsOfDifferentLengths() {
        try (LanguageModels.Loaded plain = LanguageModels.load(PLAIN, false, Device.cpu());
             LanguageModels.Loaded cached = LanguageModels.load(CACHE, true, Device.cpu());
             LanguageModels.Loaded recompute = LanguageModels.load(CACHE, false, Device.cpu())) {
            assertEquals(257, plain.model().vocabSize());
            assertEquals(32, cached.model().contextLength());
            int[][] prompts = {plain.tokenizer().encode("Hi"), plain.tokenizer().encode("Hello"), {}};
            try (LanguageModel.Decoder a = plain.model().start(prompts);
                 LanguageModel.Decoder b = cached.model().start(prompts);
                 LanguageModel.Decoder c = recompute.model().start(prompts)) {
                GptLanguageModelTest.assertClose(a.logProbs(), b.logProbs());
                int[][] parents = {{0, 0, 1, 2, 2}, {4, 3, 2, 1, 0}, {1, 1, 0, 3, 3}};
                for (int step = 0; step < 30; step++) { // past the context of 32 for the longest row
                    int[] p = parents[step % 3];
                    int[] t = {(step * 7) % 257, (step * 13 + 1) % 257, 65 + step, 100, (step * 3) % 257};
                    a.advance(p, t);
                    b.advance(p, t);
                    c.advance(p, t);
                    GptLanguageModelTest.assertClose(a.logProbs(), c.logProbs());
                    if (step < 20) { // before the cache is rebuilt over a shorter window
                        GptLanguageModelTest.assertClose(a.logProbs(), b.logProbs());
                    }
                }
            }
        }
    }

    @Test
    void aBranchEqualsAFreshStartAndLeavesItsDecoderAlone() {
        try (LanguageModels.Loaded cached = LanguageModels.load(CACHE, true, Device.cpu());
             LanguageModels.Loaded plain = LanguageModels.load(PLAIN, false, Device.cpu())) {
            int[][] prompts = {cached.tokenizer().encode("Hi"), cached.tokenizer().encode("Hello")};
            GptLanguageModelTest.assertBranchesAreIndependent(cached.model(), prompts);
            GptLanguageModelTest.assertBranchesAreIndependent(plain.model(), prompts);
        }
    }

    @Test
    void aTokenizerOfAnotherSizeIsRefused(@TempDir Path dir) throws Exception {
        Path copy = copy(PLAIN, dir.resolve("m"));
        String tok = Files.readString(copy.resolve("tokenizer.json"));
        // drop the end-of-text token: 256 ids where the network has 257 logits
        tok = tok.replaceAll("\\{\"id\": 256[^}]*\\}", "").replace(", \"<|endoftext|>\": 256", "");
        Files.writeString(copy.resolve("tokenizer.json"), tok);
        Files.writeString(copy.resolve("manifest.json"),
                Files.readString(copy.resolve("manifest.json")).replace("256", "0"));
        AtelierException e = assertThrows(AtelierException.class, () -> LanguageModels.load(copy, true, Device.cpu()));
        assertTrue(e.getMessage().contains("257") && e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void aContextLongerThanTheModelsPositionsIsRefused(@TempDir Path dir) throws Exception {
        Path copy = copy(PLAIN, dir.resolve("m"));
        Files.writeString(copy.resolve("manifest.json"),
                Files.readString(copy.resolve("manifest.json")).replace("\"context\": 32", "\"context\": 64"));
        AtelierException e = assertThrows(AtelierException.class, () -> LanguageModels.load(copy, true, Device.cpu()));
        assertTrue(e.getMessage().contains("64 tokens"), e.getMessage());
    }

    @Test
    void wrongFilesAreRefusedWithTheirNames(@TempDir Path dir) throws Exception {
        Path notTs = copy(PLAIN, dir.resolve("a"));
        Files.writeString(notTs.resolve("model.pt"), "plain text, not a model");
        AtelierException e = assertThrows(AtelierException.class, () -> LanguageModels.load(notTs, true, Device.cpu()));
        assertTrue(e.getMessage().contains("TorchScript"), e.getMessage());

        Path noTok = copy(PLAIN, dir.resolve("b"));
        Files.delete(noTok.resolve("tokenizer.json"));
        e = assertThrows(AtelierException.class, () -> LanguageModels.load(noTok, true, Device.cpu()));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());

        Path badCache = copy(CACHE, dir.resolve("c"));
        Files.writeString(badCache.resolve("manifest.json"),
                Files.readString(badCache.resolve("manifest.json")).replace("\"layers\": 2", "\"layers\": 3"));
        e = assertThrows(AtelierException.class, () -> LanguageModels.load(badCache, true, Device.cpu()));
        assertTrue(e.getMessage().contains("layers"), e.getMessage());
    }

    static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : new String[] {"manifest.json", "model.pt", "tokenizer.json"}) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        return to;
    }
}
