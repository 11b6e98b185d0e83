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
    void incrementalCountsLearnTheSameMergesAsRecountingEveryStep() {
        List<String> sentences = new ArrayList<>();
        for (BrownCorpus.Document d : BrownCorpus.read(EXCERPT)) {
            sentences.addAll(d.sentences());
        }
        BpeTrainer t = new BpeTrainer();
        sentences.forEach(t::add);
        BpeVocabulary fast = t.train(257 + 150, List.of("<|endoftext|>"));
        // brute force: recount every adjacent pair of every piece occurrence before each merge
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String s : sentences) {
            for (String p : ByteLevel.pieces(s)) {
                counts.merge(ByteLevel.spell(p), 1, Integer::sum);
            }
        }
        List<int[]> words = new ArrayList<>();
        List<Integer> freq = new ArrayList<>();
        counts.forEach((w, c) -> {
            int[] ids = new int[w.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1 + ByteLevel.byteOf(w.charAt(i));
            }
            words.add(ids);
            freq.add(c);
        });
        for (int m = 0; m < 150; m++) {
            java.util.Map<Long, Long> pairs = new java.util.HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] ids = words.get(w);
                for (int i = 0; i + 1 < ids.length; i++) {
                    pairs.merge(((long) ids[i] << 32) | ids[i + 1], (long) freq.get(w), Long::sum);
                }
            }
            long best = -1;
            long bestCount = 0;
            for (var e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            assertArrayEquals(new int[] {a, b}, fast.merges().get(m), "merge " + m);
            for (int w = 0; w < words.size(); w++) {
                words.set(w, BpeTrainer.merge(words.get(w), a, b, 257 + m));
            }
        }
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
