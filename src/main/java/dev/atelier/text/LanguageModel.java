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
