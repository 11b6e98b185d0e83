package dev.atelier.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.base.ModelManifest;
import dev.atelier.train.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16, class 8: what Atelier writes for others to see (manifests, checkpoint headers) names files, not
 * the folders of the machine that wrote them; the shipped models carry no such paths.
 */
class PrivacyTest {
    static final Pattern MACHINE_PATH = Pattern.compile("(/work/|/usr/|/tmp/|/home/|/root/|/Users/|[A-Z]:\\\\)");

    @Test
    void absolutePathsAreCutToTheirNames() {
        assertEquals("atelier train-cm --data fashion-mnist --out model --steps 5",
                ModelManifest.withoutFolders("atelier train-cm --data /usr/share/datasets/fashion-mnist --out "
                        + "/work/x/model/ --steps 5"));
        assertEquals("--data=train.gz", ModelManifest.withoutFolders("--data=/home/me/train.gz"));
        assertEquals("x.png y.png", ModelManifest.withoutFolders("~/pics/x.png C:\\Users\\me\\y.png"));
        assertEquals("relative/path stays", ModelManifest.withoutFolders("relative/path stays"));
    }

    @Test
    void randomCommandLinesLoseEveryFolder() {
        // property: whatever absolute paths a command line holds, none survives and the words around them do
        Random r = new Random(16);
        String[] roots = {"/", "/home/user/", "~/", "/work/wt/a b/".replace(" ", "_"), "C:\\data\\"};
        for (int trial = 0; trial < 300; trial++) {
            StringBuilder in = new StringBuilder("atelier");
            StringBuilder want = new StringBuilder("atelier");
            for (int i = 0; i < 1 + r.nextInt(5); i++) {
                String name = "f" + r.nextInt(1000) + ".bin";
                String dir = roots[r.nextInt(roots.length)] + (r.nextBoolean() ? "sub" + r.nextInt(9) + "/" : "");
                if (dir.startsWith("C:")) {
                    dir = dir.replace('/', '\\');
                }
                in.append(" --opt").append(i).append(' ').append(dir).append(name);
                want.append(" --opt").append(i).append(' ').append(name);
            }
            assertEquals(want.toString(), ModelManifest.withoutFolders(in.toString()));
        }
    }

    @Test
    void writtenManifestsAndCheckpointHeadersCarryNoFolders(@TempDir Path tmp) throws IOException {
        ModelManifest m = new ModelManifest();
        m.kind = "consistency";
        m.training = new ModelManifest.Training();
        m.training.command = "atelier train-cm --data /home/alice/secret/fm --out " + tmp.resolve("model");
        m.training.data = "/home/alice/secret/fm/train-images-idx3-ubyte.gz";
        m.write(tmp);
        String text = Files.readString(tmp.resolve(ModelManifest.FILE));
        assertFalse(text.contains("alice") || text.contains(tmp.toString()), text);
        assertTrue(text.contains("train-images-idx3-ubyte.gz"));
        Checkpoint c = new Checkpoint();
        c.header().put("data", "/home/alice/secret/t10k.gz");
        c.write(tmp.resolve("c.ckpt"));
        assertEquals("t10k.gz", Checkpoint.read(tmp.resolve("c.ckpt")).header().get("data").asText());
    }

    @Test
    void shippedModelsCarryNoMachinePaths() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("assets/models"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") || p.getFileName().toString()
                    .equals("stats.ckpt")).toList()) {
                byte[] head = Files.readAllBytes(f);
                String text = new String(head, 0, Math.min(head.length, 1 << 16), StandardCharsets.ISO_8859_1);
                if (f.toString().endsWith(".ckpt")) {
                    text = Checkpoint.read(f).header().toString();
                }
                assertFalse(MACHINE_PATH.matcher(text).find(), f + " holds a machine path");
            }
        }
    }
}
