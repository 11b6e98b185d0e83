package dev.atelier.text.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.AtelierException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrownCorpusTest {
    @Test
    void stripsTagsAndRestoresSpacing() {
        assertEquals("The jury said, \u201Cno evidence\u201D (of fraud) was found.",
                BrownCorpus.detag("\tThe/at jury/nn said/vbd ,/, ``/`` no/at evidence/nn ''/'' (/( of/in "
                        + "fraud/nn )/) was/bedz found/vbn ./."));
        assertEquals("Atlanta's 1/2 inch", BrownCorpus.detag("Atlanta's/np$ 1/2/cd inch/nn"));
    }

    @Test
    void readsTheCommittedExcerpt() {
        List<BrownCorpus.Document> docs = BrownCorpus.read(Path.of("tests/resources/brown-excerpt"));
        assertEquals(List.of("ca01", "cf01", "ck01", "cp01"), docs.stream().map(BrownCorpus.Document::name).toList());
        assertEquals("The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election "
                + "produced \u201Cno evidence\u201D that any irregularities took place.", docs.get(0).sentences().get(0));
    }

    @Test
    void holdsOutEveryTenthDocument() {
        List<BrownCorpus.Document> docs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            docs.add(new BrownCorpus.Document("d" + i, List.of()));
        }
        BrownCorpus.Split s = BrownCorpus.split(docs);
        assertEquals(List.of("d9", "d19"), s.heldOut().stream().map(BrownCorpus.Document::name).toList());
        assertEquals(23, s.train().size());
    }

    @Test
    void missingCorpusIsAClearError(@TempDir Path dir) {
        assertThrows(AtelierException.class, () -> BrownCorpus.read(dir.resolve("nope")));
        assertThrows(AtelierException.class, () -> BrownCorpus.read(dir));
    }
}
