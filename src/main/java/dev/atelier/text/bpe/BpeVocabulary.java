package dev.atelier.text.bpe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.base.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained byte-level BPE vocabulary: symbol strings by id (specials first, then the 256 byte symbols,
 * then one per merge) and the merges in rank order. Written as a Hugging Face {@code tokenizer.json}
 * (model BPE, ByteLevel pre-tokenizer without a prefix space, ByteLevel decoder) — the same shape as
 * GPT-2's, so one loader serves both.
 */
public record BpeVocabulary(List<String> specials, List<String> symbols, List<int[]> merges) {

    /** @return the vocabulary size */
    public int size() {
        return symbols.size();
    }

    /** @return the {@code tokenizer.json} document */
    public ObjectNode toTokenizerJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < specials.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", i);
            t.put("content", specials.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(json, false, true));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(json, true, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < symbols.size(); i++) {
            vocab.put(symbols.get(i), i);
        }
        ArrayNode ms = model.putArray("merges");
        for (int[] m : merges) {
            ms.add(symbols.get(m[0]) + " " + symbols.get(m[1]));
        }
        return root;
    }

    private static ObjectNode byteLevel(ObjectMapper json, boolean prefixSpace, boolean trimOffsets) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", prefixSpace);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", true);
        return n;
    }

    /** Writes {@code tokenizer.json} atomically. */
    public void write(Path file) throws IOException {
        byte[] bytes = new ObjectMapper().writeValueAsString(toTokenizerJson()).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, bytes);
    }
}
