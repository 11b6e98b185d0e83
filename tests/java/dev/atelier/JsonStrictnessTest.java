package dev.atelier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.text.ConstraintSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16, classes 6 and 9: JSON is read whole or refused (a key twice, a second document, bytes that are not
 * UTF-8), and a UTF-8 byte-order mark is accepted. The files are in tests/resources/hostile.
 */
class JsonStrictnessTest {
    static final Path HOSTILE = Path.of("tests/resources/hostile");

    @Test
    void aByteOrderMarkIsAccepted() {
        assertEquals(1, ConstraintSpec.readFile(HOSTILE.resolve("constraints-bom.json")).size());
    }

    @Test
    void duplicateKeysSecondDocumentsAndNonUtf8AreRefusedWithTheReason() {
        String dup = assertThrows(AtelierException.class,
                () -> ConstraintSpec.readFile(HOSTILE.resolve("constraints-duplicate-key.json"))).getMessage();
        assertTrue(dup.contains("the key 'prompts' is given twice"), dup);
        String two = assertThrows(AtelierException.class,
                () -> ConstraintSpec.readFile(HOSTILE.resolve("constraints-two-documents.json"))).getMessage();
        assertTrue(two.contains("a second JSON value follows the first"), two);
        String latin = assertThrows(AtelierException.class,
                () -> ConstraintSpec.readFile(HOSTILE.resolve("constraints-not-utf8.json"))).getMessage();
        assertTrue(latin.contains("not UTF-8 (a bad byte at offset 26)"), latin);
        assertTrue(!latin.contains("Exception"), "no exception class names: " + latin);
    }

    @Test
    void anyObjectWithARepeatedKeyIsRefusedAndWithoutItReadsTheSame(@TempDir Path tmp) throws IOException {
        // property over random flat objects: the strict reader gives the same tree as a lenient one when every key
        // is distinct, refuses as soon as one key repeats, and ignores a leading BOM
        Random r = new Random(16);
        Path f = tmp.resolve("x.json");
        for (int trial = 0; trial < 200; trial++) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            int n = 1 + r.nextInt(6);
            for (int i = 0; i < n; i++) {
                o.put("k" + r.nextInt(1000) + "_" + i, r.nextInt());
            }
            String text = Json.MAPPER.writeValueAsString(o);
            Files.write(f, (r.nextBoolean() ? "\uFEFF" + text : text).getBytes(StandardCharsets.UTF_8));
            assertEquals(o, Json.read(f));
            String key = o.fieldNames().next();
            String repeated = text.substring(0, text.length() - 1).trim() + ", \"" + key + "\": 1}";
            Files.writeString(f, repeated);
            assertThrows(JsonProcessingException.class, () -> Json.read(f), repeated);
            Files.writeString(f, text + (r.nextBoolean() ? " {}" : " 1"));
            assertThrows(JsonProcessingException.class, () -> Json.read(f));
        }
    }

    @Test
    void aFifoIsRefusedInsteadOfReadForever(@TempDir Path tmp) throws Exception {
        Path fifo = tmp.resolve("constraints.json");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo available");
        String m = assertThrows(AtelierException.class, () -> ConstraintSpec.readFile(fifo)).getMessage();
        assertTrue(m.contains("not a regular file"), m);
    }
}
