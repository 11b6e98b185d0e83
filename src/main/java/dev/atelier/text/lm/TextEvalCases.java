package dev.atelier.text.lm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Constrained-generation cases built from held-out sentences, for {@code atelier eval-text}: the prompt is a
 * sentence's first words; the constraints are two later content words of the same sentence — the first as a
 * phrase (every third case, with the word after it: a two-word phrase), the second as an any-of group of the
 * word and its plural or singular form. The sentence says the constraints fit a natural continuation of the
 * prompt.
 */
public final class TextEvalCases {
    /** Function words and frequent verbs that make poor constraints. */
    private static final Set<String> STOP = Set.of("about", "above", "after", "again", "against", "also", "been",
            "before", "being", "below", "between", "both", "could", "does", "doing", "down", "during", "each", "even",
            "from", "further", "have", "having", "here", "into", "just", "many", "more", "most", "much", "must",
            "only", "other", "over", "same", "should", "some", "such", "than", "that", "their", "them", "then",
            "there", "these", "they", "this", "those", "through", "under", "until", "very", "were", "what", "when",
            "where", "which", "while", "will", "with", "would", "your", "said", "upon", "shall", "might", "made",
            "make", "like", "well", "because", "still", "though", "whom", "whose", "ever", "every", "among");

    /**
     * One case.
     *
     * @param source the sentence it was taken from
     * @param prompt the first words
     * @param phrase the required phrase (one or two words)
     * @param anyOf the any-of options (a word and its other number)
     */
    public record Case(String source, String prompt, String phrase, List<String> anyOf) {
    }

    private TextEvalCases() {
    }

    /**
     * @param docs held-out documents
     * @param count how many cases (fewer if the sentences run out)
     * @param promptWords words of each prompt
     * @param seed order in which sentences are drawn and words picked
     * @return the cases, in a fixed order for the seed
     */
    public static List<Case> build(List<BrownCorpus.Document> docs, int count, int promptWords, long seed) {
        List<String> sentences = new ArrayList<>();
        for (BrownCorpus.Document d : docs) {
            sentences.addAll(d.sentences());
        }
        Random rnd = new Random(seed);
        Collections.shuffle(sentences, rnd);
        List<Case> out = new ArrayList<>();
        for (String s : sentences) {
            if (out.size() == count) {
                break;
            }
            String[] w = s.trim().split("\\s+");
            if (w.length < promptWords + 4 || w.length > 40 || !isWord(w[0])) {
                continue;
            }
            List<Integer> content = new ArrayList<>();
            Set<String> seen = new java.util.HashSet<>();
            for (int i = promptWords; i < w.length; i++) {
                if (isContent(w[i]) && seen.add(w[i])) {
                    content.add(i);
                }
            }
            if (content.size() < 2) {
                continue;
            }
            Collections.shuffle(content, rnd);
            int a = Math.min(content.get(0), content.get(1));
            int b = Math.max(content.get(0), content.get(1));
            String phrase = w[a];
            if (out.size() % 3 == 2 && a + 1 < w.length && a + 1 != b && isWord(w[a + 1])) {
                phrase = w[a] + " " + w[a + 1];
            }
            String word = w[b];
            String other = word.endsWith("s") ? word.substring(0, word.length() - 1) : word + "s";
            out.add(new Case(s, String.join(" ", java.util.Arrays.copyOf(w, promptWords)), phrase,
                    List.of(word, other)));
        }
        return out;
    }

    private static boolean isWord(String w) {
        return !w.isEmpty() && w.chars().allMatch(Character::isLetter);
    }

    private static boolean isContent(String w) {
        return w.length() >= 4 && isWord(w) && w.equals(w.toLowerCase(Locale.ROOT)) && !STOP.contains(w);
    }
}
