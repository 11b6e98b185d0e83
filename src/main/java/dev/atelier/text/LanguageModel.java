package dev.atelier.text;

/**
 * A causal language model as beam search sees it: rows of token sequences in, next-token
 * log-probabilities out, with incremental state (a KV cache where the model has one) that follows the
 * beams as they are selected. Plain Java arrays at the boundary; DJL-backed models live in
 * {@code runtime/} and must be driven from the inference lane's thread.
 */
public interface LanguageModel extends AutoCloseable {
    /** @return the vocabulary size V; log-probability rows have this length */
    int vocabSize();

    /** @return the end-of-sequence token id */
    int eosId();

    /** @return the padding token id */
    int padId();

    /** @return the longest sequence the model accepts (prompt + generated), or Integer.MAX_VALUE */
    default int contextLength() {
        return Integer.MAX_VALUE;
    }

    /**
     * Starts decoding.
     *
     * @param rows one token sequence per row; rows may differ in length (the model pads as it must)
     * @return the decoding state, positioned after the last token of each row
     */
    Decoder start(int[][] rows);

    /** Incremental decoding state for a set of rows. */
    interface Decoder extends AutoCloseable {
        /** @return log-probabilities of the next token, {@code [rows][vocabSize]}, log-softmax normalised */
        float[][] logProbs();

        /**
         * {@link #logProbs()}, checked row by row: what every search and score reads, so that a model that
         * produces NaN or +∞, or a row with no finite entry (every token impossible), stops the job with a
         * message instead of giving a NaN score that looks like a result. −∞ for single tokens is allowed.
         *
         * @throws dev.atelier.AtelierException naming the row and the value
         */
        default float[][] checkedLogProbs() {
            float[][] rows = logProbs();
            for (int r = 0; r < rows.length; r++) {
                if (Float.isFinite(sum(rows[r]))) {
                    continue; // no NaN, no infinity: the common case, checked with one pass of additions
                }
                boolean finite = false;
                for (float v : rows[r]) {
                    if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
                        throw new dev.atelier.AtelierException("The language model returned " + v + " among the "
                                + "log-probabilities of row " + r + ", so its scores would be meaningless and nothing "
                                + "is reported. The weights are damaged or the export is wrong; export the model again.");
                    }
                    finite |= v > Float.NEGATIVE_INFINITY;
                }
                if (!finite) {
                    throw new dev.atelier.AtelierException("The language model gave every token of row " + r
                            + " a log-probability of -infinity (no next token possible), so its scores would be "
                            + "meaningless. The weights are damaged or the export is wrong; export the model again.");
                }
            }
            return rows;
        }

        /** @return the sum of {@code row} (four running sums, so the additions need not wait for each other) */
        private static float sum(float[] row) {
            float a = 0;
            float b = 0;
            float c = 0;
            float d = 0;
            int i = 0;
            for (; i + 3 < row.length; i += 4) {
                a += row[i];
                b += row[i + 1];
                c += row[i + 2];
                d += row[i + 3];
            }
            for (; i < row.length; i++) {
                a += row[i];
            }
            return a + b + c + d;
        }

        /**
         * Moves to the next position: new row {@code i} continues old row {@code parents[i]} with
         * {@code tokens[i]}. The number of rows may change (e.g. one row per prompt expanding to beams).
         */
        void advance(int[] parents, int[] tokens);

        /**
         * Like {@link #advance} into a new, independent decoder, leaving this one where it is: new row {@code i}
         * continues row {@code parents[i]} of this decoder with {@code tokens[i]}, reusing its state (the KV
         * cache). Used for lookahead rollouts; close the branch when done.
         *
         * @throws UnsupportedOperationException if the model cannot branch (lookahead then needs depth 1)
         */
        default Decoder branch(int[] parents, int[] tokens) {
            throw new UnsupportedOperationException("This model's decoder cannot branch; use a lookahead of 1.");
        }

        /**
         * The log-probabilities {@code branch(parents, tokens).logProbs()} would give, leaving this decoder where it
         * is, for a position that is not continued (the last of a lookahead rollout): a model with a KV cache can
         * attend to it in place instead of copying it for a branch.
         *
         * @throws UnsupportedOperationException if the model cannot branch
         */
        default float[][] peek(int[] parents, int[] tokens) {
            try (Decoder b = branch(parents, tokens)) {
                return b.logProbs();
            }
        }

        /** Releases the state (native tensors of a KV cache). */
        @Override
        default void close() {
        }
    }

    /** Releases the model; the default does nothing. */
    @Override
    default void close() {
    }
}
