package dev.atelier.text.bpe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Trains a byte-level BPE vocabulary (GPT-2 style). Ids: the special tokens first, then the 256 byte
 * symbols in byte order, then one symbol per merge in the order learned. Each step merges the most
 * frequent adjacent pair (ties: the pair of smaller ids); pair counts are updated incrementally, touching
 * only the words that contain the merged pair, so a million-word corpus trains in seconds.
 */
public final class BpeTrainer {
    private final Map<String, long[]> pieceCounts = new HashMap<>();

    /** Adds a text: it is split into GPT-2 pieces and each piece is counted. */
    public void add(String text) {
        for (String p : ByteLevel.pieces(text)) {
            pieceCounts.computeIfAbsent(ByteLevel.spell(p), k -> new long[1])[0]++;
        }
    }

    /** @return the number of distinct pieces counted so far */
    public int distinctPieces() {
        return pieceCounts.size();
    }

    /**
     * Learns merges until the vocabulary has {@code vocabSize} entries or no pair occurs twice.
     *
     * @param vocabSize the target size, specials and the 256 byte symbols included
     * @param specials special tokens (e.g. {@code <|endoftext|>}), given the first ids
     */
    public BpeVocabulary train(int vocabSize, List<String> specials) {
        int base = specials.size();
        if (vocabSize < base + 256) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " < " + (base + 256));
        }
        List<String> symbols = new ArrayList<>(specials);
        for (int b = 0; b < 256; b++) {
            symbols.add(String.valueOf(ByteLevel.charOf(b)));
        }
        // Words as symbol-id arrays with their counts; deterministic order (sorted spelling).
        List<String> spellings = new ArrayList<>(pieceCounts.keySet());
        spellings.sort(null);
        int n = spellings.size();
        int[][] words = new int[n][];
        long[] freq = new long[n];
        for (int w = 0; w < n; w++) {
            String s = spellings.get(w);
            int[] ids = new int[s.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = base + ByteLevel.byteOf(s.charAt(i));
            }
            words[w] = ids;
            freq[w] = pieceCounts.get(s)[0];
        }
        Map<Long, long[]> counts = new HashMap<>();
        Map<Long, Set<Integer>> where = new HashMap<>();
        for (int w = 0; w < n; w++) {
            addPairs(words[w], freq[w], w, counts, where, +1);
        }
        PriorityQueue<long[]> queue = new PriorityQueue<>((x, y) -> x[0] != y[0]
                ? Long.compare(y[0], x[0]) : Long.compare(x[1], y[1]));
        counts.forEach((k, c) -> queue.add(new long[] {c[0], k}));
        List<int[]> merges = new ArrayList<>();
        while (symbols.size() < vocabSize && !queue.isEmpty()) {
            long[] top = queue.poll();
            long[] current = counts.get(top[1]);
            if (current == null || current[0] != top[0]) {
                continue; // stale entry; a fresh one was queued when the count changed
            }
            if (top[0] < 2) {
                break;
            }
            int a = (int) (top[1] >>> 32);
            int b = (int) top[1];
            int c = symbols.size();
            symbols.add(symbols.get(a) + symbols.get(b));
            merges.add(new int[] {a, b});
            Set<Long> touched = new HashSet<>();
            for (int w : new ArrayList<>(where.getOrDefault(top[1], Set.of()))) {
                int[] old = words[w];
                collectPairs(old, touched);
                addPairs(old, freq[w], w, counts, where, -1);
                int[] merged = merge(old, a, b, c);
                words[w] = merged;
                addPairs(merged, freq[w], w, counts, where, +1);
                collectPairs(merged, touched);
            }
            for (long k : touched) {
                long[] cnt = counts.get(k);
                if (cnt != null && cnt[0] > 0) {
                    queue.add(new long[] {cnt[0], k});
                }
            }
        }
        return new BpeVocabulary(specials, symbols, merges);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static void collectPairs(int[] ids, Set<Long> out) {
        for (int i = 0; i + 1 < ids.length; i++) {
            out.add(key(ids[i], ids[i + 1]));
        }
    }

    private static void addPairs(int[] ids, long f, int w, Map<Long, long[]> counts, Map<Long, Set<Integer>> where,
                                 int sign) {
        for (int i = 0; i + 1 < ids.length; i++) {
            long k = key(ids[i], ids[i + 1]);
            long[] c = counts.computeIfAbsent(k, x -> new long[1]);
            c[0] += sign * f;
            if (sign > 0) {
                where.computeIfAbsent(k, x -> new HashSet<>()).add(w);
            } else if (c[0] <= 0) {
                counts.remove(k);
                where.remove(k);
            }
        }
        if (sign < 0) {
            // the word may still hold a pair after the merge; it is re-added by the +1 call
            for (int i = 0; i + 1 < ids.length; i++) {
                Set<Integer> s = where.get(key(ids[i], ids[i + 1]));
                if (s != null) {
                    s.remove(w);
                }
            }
        }
    }

    /** Replaces each non-overlapping occurrence of (a, b), left to right, with c. */
    static int[] merge(int[] ids, int a, int b, int c) {
        int[] out = new int[ids.length];
        int m = 0;
        for (int i = 0; i < ids.length; i++) {
            if (i + 1 < ids.length && ids[i] == a && ids[i + 1] == b) {
                out[m++] = c;
                i++;
            } else {
                out[m++] = ids[i];
            }
        }
        return java.util.Arrays.copyOf(out, m);
    }
}
