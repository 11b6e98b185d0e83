package dev.atelier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way Atelier reads JSON files (manifests, constraints, bigram models, settings, checkpoint headers,
 * PNG parameters): strict, so that nothing is read half. A key given twice, a second document after the
 * first, or text that is not UTF-8 is an error, not a silent choice; a UTF-8 byte-order mark is accepted.
 */
public final class Json {
    /** Strict reading, indented writing. Thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Files larger than this are not JSON Atelier wrote or expects (the largest, a tokenizer, is ≈1 MB). */
    public static final long MAX_BYTES = 256L << 20;

    private Json() {
    }

    /**
     * Reads a text file as strict UTF-8, without a leading byte-order mark.
     *
     * @throws IOException if it is not a regular file, cannot be read, is larger than {@link #MAX_BYTES}, or is
     *     not UTF-8 (the message says at which byte)
     */
    public static String readText(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) { // a FIFO would block the read forever
            throw new IOException("it is not a regular file (a folder, device or pipe)");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException("the file has " + size + " bytes, more than the " + (MAX_BYTES >> 20)
                    + " MB a JSON file may have here");
        }
        return decode(Files.readAllBytes(file));
    }

    /** @return {@code bytes} decoded as strict UTF-8, a leading byte-order mark dropped */
    public static String decode(byte[] bytes) throws IOException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            // decode again by hand to find where: the decoder stops at the first bad byte
            ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
            StandardCharsets.UTF_8.newDecoder().decode(in, java.nio.CharBuffer.allocate(bytes.length), true);
            int at = in.position();
            throw new IOException("the text is not UTF-8 (a bad byte at offset " + at + "); save the file as UTF-8");
        }
    }

    /**
     * Parses a file as one JSON document.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException for broken JSON, a key given twice or a second
     *     document (use {@link AtelierException#jsonProblem} for the message)
     * @throws IOException if the file cannot be read or is not UTF-8
     */
    public static JsonNode read(Path file) throws IOException {
        return MAPPER.readTree(readText(file));
    }
}
