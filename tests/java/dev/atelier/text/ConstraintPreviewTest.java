package dev.atelier.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.runtime.BpeTokenizer;
import dev.atelier.runtime.HfTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token preview and in-place warnings of the constraint builder, against hand-checked tokenisations. */
class ConstraintPreviewTest {
    private static final int[] TOY_SPECIALS = {0, 7};
    private static Tokenizer toy;
    private static HfTokenizer hf;
    private static Tokenizer brown;

    @BeforeAll
    static void load() {
        toy = BigramModel.read(Path.of("tests/resources/text/toy-bigram.json")).tokenizer();
        hf = HfTokenizer.load(Path.of("assets/models/brown-lm/tokenizer.json"));
        brown = new BpeTokenizer(hf, true);
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    private static ConstraintSpec spec(ConstraintSpec.Kind kind, String... values) {
        return new ConstraintSpec(kind, List.of(values));
    }

    @Test
    void aBigramPhraseShowsItsWordsAndAnUnknownWordIsAnErrorNamingIt() {
        ConstraintPreview p = ConstraintPreview.of(spec(ConstraintSpec.Kind.PHRASE, "is fast"), toy, SearchMode.STRICT,
                30, TOY_SPECIALS);
        assertTrue(p.ok());
        assertArrayEquals(new int[] {3, 4}, p.parts().get(0).ids());
        assertEquals("is fast", p.tokenLine());
        assertEquals(2, p.minTokens());
        assertTrue(p.warnings().isEmpty(), p.warnings().toString());

        ConstraintPreview bad = ConstraintPreview.of(spec(ConstraintSpec.Kind.PHRASE, "is quick"), toy,
                SearchMode.STRICT, 30, TOY_SPECIALS);
        assertTrue(bad.error().contains("\"quick\""), bad.error());
        ConstraintPreview eos = ConstraintPreview.of(spec(ConstraintSpec.Kind.PHRASE, "fast <eos>"), toy,
                SearchMode.STRICT, 30, TOY_SPECIALS);
        assertTrue(eos.error().startsWith("Contains the special token <eos>"), eos.error());
        ConstraintPreview empty = ConstraintPreview.of(spec(ConstraintSpec.Kind.ANY, "fast", " "), toy,
                SearchMode.STRICT, 30, TOY_SPECIALS);
        assertEquals("Option 2 is empty. Type at least one word.", empty.error());
    }

    @Test
    void tooLongForTheBudgetIsAnErrorAndAPrefixOptionOnlyHfRejects() {
        ConstraintPreview longer = ConstraintPreview.of(spec(ConstraintSpec.Kind.TEMPLATE, "dog _2 fast"), toy,
                SearchMode.STRICT, 3, TOY_SPECIALS);
        assertEquals("dog _ _ fast", longer.tokenLine());
        assertTrue(longer.error().startsWith("Needs at least 4 generated tokens, but only 3"), longer.error());

        ConstraintPreview strict = ConstraintPreview.of(spec(ConstraintSpec.Kind.ANY, "is", "is fast"), toy,
                SearchMode.STRICT, 30, TOY_SPECIALS);
        assertNull(strict.error());
        assertEquals(List.of("hf mode would reject this group: \"is\" (is) is the start of \"is fast\" (is fast)."),
                strict.warnings());
        ConstraintPreview inHf = ConstraintPreview.of(spec(ConstraintSpec.Kind.ANY, "is", "is fast"), toy,
                SearchMode.HF, 30, TOY_SPECIALS);
        assertTrue(inHf.error().startsWith("hf mode rejects this group"), inHf.error());
    }

    @Test
    void aBanInsideARequiredPhraseIsAnErrorOnTheBan() {
        List<ConstraintPreview> ps = ConstraintPreview.ofSet(List.of(spec(ConstraintSpec.Kind.PHRASE, "dog is fast"),
                spec(ConstraintSpec.Kind.BAN, "is fast"), spec(ConstraintSpec.Kind.BAN, "slow")), toy,
                SearchMode.STRICT, 30, TOY_SPECIALS);
        assertTrue(ps.get(0).ok());
        assertTrue(ps.get(1).error().startsWith("Bans words that constraint 1 (phrase \"dog is fast\") requires"),
                ps.get(1).error());
        assertTrue(ps.get(2).ok());
    }

    @Test
    void aBpePhraseShowsItsMidTextPiecesAndWarnsAboutOddSplitsAndTheLineStartForm() {
        ConstraintPreview p = ConstraintPreview.of(spec(ConstraintSpec.Kind.PHRASE, "the enemy"), brown,
                SearchMode.STRICT, 30, new int[] {0});
        assertTrue(p.ok());
        int[] ids = hf.encode(" the enemy");
        assertArrayEquals(ids, p.parts().get(0).ids());
        assertEquals(ids.length, p.minTokens());
        assertEquals("▁the ▁enemy", p.tokenLine());
        // at a line start "the" has no space before it: other tokens, hence the note naming both forms (a note, not a
        // warning: nearly every phrase has one)
        assertEquals(List.of("Matched mid-text; at the start of a line it is \"the enemy\" → the ▁enemy, not matched "
                + "there."), p.notes());
        assertEquals(List.of(), p.warnings());

        // a word the 4,096-token vocabulary splits into three or more pieces gets its pieces named
        String word = "screamingly";
        int[] wordIds = hf.encode(" " + word);
        assertTrue(wordIds.length >= 3, "test premise: " + wordIds.length + " pieces");
        ConstraintPreview odd = ConstraintPreview.of(spec(ConstraintSpec.Kind.PHRASE, word), brown, SearchMode.STRICT,
                30, new int[] {0});
        assertTrue(odd.warnings().get(0).startsWith("\"" + word + "\" is split into " + wordIds.length + " pieces ("
                + String.join(" ", ConstraintPreview.pieces(brown, wordIds)) + ")"), odd.warnings().toString());
    }
}
