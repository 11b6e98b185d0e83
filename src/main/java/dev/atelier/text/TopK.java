package dev.atelier.text;

/**
 * The k best (score, beam, token) entries: higher score first, then lower beam, then lower token (the order of
 * a flattened {@code beam·V + token} index, as {@code torch.topk} breaks ties on CPU).
 */
final class TopK {
    private final int k;
    private final double[] scores;
    private final int[] beams;
    private final int[] tokens;
    private int size;

    TopK(int k) {
        this.k = k;
        this.scores = new double[k];
        this.beams = new int[k];
        this.tokens = new int[k];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    private static boolean better(double s1, int b1, int t1, double s2, int b2, int t2) {
        if (s1 != s2) {
            return s1 > s2;
        }
        if (b1 != b2) {
            return b1 < b2;
        }
        return t1 < t2;
    }

    /** @return whether the entry would enter the current top k */
    boolean accepts(double score, int beam, int token) {
        return size < k || better(score, beam, token, scores[0], beams[0], tokens[0]);
    }

    void offer(double score, int beam, int token) {
        if (size < k) {
            int i = size++;
            scores[i] = score;
            beams[i] = beam;
            tokens[i] = token;
            siftUp(i);
        } else if (better(score, beam, token, scores[0], beams[0], tokens[0])) {
            scores[0] = score;
            beams[0] = beam;
            tokens[0] = token;
            siftDown(0);
        }
    }

    // Min-heap on "better": the root is the worst kept entry.
    private boolean worse(int i, int j) {
        return better(scores[j], beams[j], tokens[j], scores[i], beams[i], tokens[i]);
    }

    private void swap(int i, int j) {
        double s = scores[i];
        scores[i] = scores[j];
        scores[j] = s;
        int b = beams[i];
        beams[i] = beams[j];
        beams[j] = b;
        int t = tokens[i];
        tokens[i] = tokens[j];
        tokens[j] = t;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (!worse(i, p)) {
                return;
            }
            swap(i, p);
            i = p;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < size && worse(l, m)) {
                m = l;
            }
            if (r < size && worse(r, m)) {
                m = r;
            }
            if (m == i) {
                return;
            }
            swap(i, m);
            i = m;
        }
    }

    /** Sorts the kept entries best first; afterwards read them with the accessors (the heap is consumed). */
    void sortBestFirst() {
        int n = size;
        // Heap sort: repeatedly move the worst to the end.
        for (int end = n - 1; end > 0; end--) {
            swap(0, end);
            size = end;
            siftDown(0);
        }
        size = n; // index 0 now holds the best entry, index n-1 the worst
    }

    double score(int i) {
        return scores[i];
    }

    int beam(int i) {
        return beams[i];
    }

    int token(int i) {
        return tokens[i];
    }
}
