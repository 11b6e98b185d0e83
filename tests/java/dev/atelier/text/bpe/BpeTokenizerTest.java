package dev.atelier.text.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.runtime.HfTokenizer;
import dev.atelier.text.lm.BrownCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {
    static final Path EXCERPT = Path.of("tests/resources/brown-excerpt");

    @Test
    void learnsTheMostFrequentPairsFirst() {
        // "ab ab ab" splits into "ab", " ab", " ab" (spelled ab, Ġab, Ġab): (a,b) occurs 3 times and is
        // merged first; then (Ġ,ab) twice; after that no pair occurs twice, so training stops early.
        BpeTrainer t = new BpeTrainer();
        t.add("ab ab ab");
        BpeVocabulary v = t.train(300, List.of("<|endoftext|>"));
        assertEquals(1 + 256 + 2, v.size());
        assertEquals("ab", v.symbols().get(257));
        assertEquals("\u0120ab", v.symbols().get(258));
        assertArrayEquals(new int[] {1 + 'a', 1 + 'b'}, v.merges().get(0));
        assertArrayEquals(new int[] {1 + ' ', 257}, v.merges().get(1)); // Ġ is the symbol of byte 32
    }

    @Test
    void byteLevelSpellingCoversAllBytesOnce() {
        java.util.Set<Character> seen = new java.util.HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevel.charOf(b);
            assertTrue(seen.add(c));
            assertEquals(b, ByteLevel.byteOf(c));
        }
        assertEquals('\u0120', ByteLevel.charOf(' ')); // GPT-2 writes a space as Ġ
        assertEquals("Hello", String.join("", ByteLevel.pieces("Hello")));
        assertEquals(List.of("Hello", ",", " world", "'s", "  ", " 42"), ByteLevel.pieces("Hello, world's   42"));
    }

    @Test
    void tokenizerJsonLoadsInHuggingFaceAndRoundTripsAnyText(@TempDir Path dir) throws Exception {
        List<String> sentences = new ArrayList<>();
        for (BrownCorpus.Document d : BrownCorpus.read(EXCERPT)) {
            sentences.addAll(d.sentences());
        }
        BpeTrainer t = new BpeTrainer();
        sentences.forEach(t::add);
        BpeVocabulary v = t.train(800, List.of("<|endoftext|>"));
        assertEquals(800, v.size());
        Path file = dir.resolve("tokenizer.json");
        v.write(file);
        List<String> texts = new ArrayList<>(sentences);
        texts.add(String.join(" ", sentences));
        texts.add("Ünïcödé — “quotes”, emoji 🙂, 中文, tabs\tand\nnewlines,   runs of spaces, \u0000 and \u007f.");
        texts.add(" leading space and trailing ");
        try (HfTokenizer tok = HfTokenizer.load(file)) {
            assertEquals(800, tok.vocabSize());
            long tokens = 0;
            long bytes = 0;
            for (String s : texts) {
                int[] ids = tok.encode(s);
                for (int id : ids) {
                    assertTrue(id > 0 && id < 800, "id " + id);
                }
                assertEquals(s, tok.decode(ids), "round trip");
                tokens += ids.length;
                bytes += s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            // merges learned on this text must compress it well below one token per byte
            assertTrue(tokens < bytes / 2.5, tokens + " tokens for " + bytes + " bytes");
            assertArrayEquals(new int[] {0}, tok.encode("<|endoftext|>"));
            // the learned merges are applied: "the" with its leading space is one token
            assertEquals(1, tok.encode(" the").length);
        }
    }
}
