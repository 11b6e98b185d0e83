package dev.atelier.text.bpe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level conventions, as the Hugging Face {@code ByteLevel} pre-tokenizer and decoder apply
 * them: text is split into pieces by a fixed pattern (words with their leading space, numbers, runs of
 * punctuation, whitespace), and each UTF-8 byte of a piece is written as one printable character, so that
 * every byte sequence has a spelling and no text is ever unknown.
 */
public final class ByteLevel {
    /** The GPT-2 pre-tokenisation pattern (the Hugging Face ByteLevel pre-tokenizer with use_regex). */
    public static final Pattern PIECES = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 0;
        for (int b = 0; b < 256; b++) {
            BYTE_TO_CHAR[b] = printable[b] ? (char) b : (char) (256 + next++);
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private ByteLevel() {
    }

    /** @return the printable character that stands for byte {@code b} (0–255) */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** @return the byte that byte-level character {@code c} stands for */
    public static int byteOf(char c) {
        if (c >= CHAR_TO_BYTE.length || BYTE_TO_CHAR[CHAR_TO_BYTE[c]] != c) {
            throw new IllegalArgumentException("not a byte-level character: U+" + Integer.toHexString(c));
        }
        return CHAR_TO_BYTE[c];
    }

    /** @return the pre-tokenised pieces of {@code text}, in order; their concatenation is {@code text} */
    public static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PIECES.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** @return the byte-level spelling of {@code piece}: one character per UTF-8 byte */
    public static String spell(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        char[] cs = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            cs[i] = charOf(bytes[i]);
        }
        return new String(cs);
    }
}
