package dev.atelier.base;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * What a weights file is, told from its bytes alone, before libtorch sees it (loading a pickle would run
 * code from the file). A TorchScript archive is a zip with {@code code/} and {@code constants.pkl}; a
 * {@code torch.save} checkpoint is a zip with {@code data.pkl} and no {@code code/}; a bare pickle starts
 * with the byte 0x80 (pickle protocol 2 and later).
 */
public enum ModelFileKind {
    /** a TorchScript archive: safe to hand to libtorch */
    TORCHSCRIPT,
    /** a torch.save zip (a state dict or pickled module): refused */
    TORCH_SAVE_CHECKPOINT,
    /** a bare Python pickle: refused */
    PICKLE,
    /** a zip that is neither of the above */
    OTHER_ZIP,
    /** a zero-length file */
    EMPTY,
    /** anything else */
    UNKNOWN;

    /**
     * Looks at a file's first bytes and, for a zip, at its central directory (entry names only; nothing
     * is decompressed or executed).
     */
    public static ModelFileKind of(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 0) {
            return EMPTY;
        }
        if ((head[0] & 0xff) == 0x80) {
            return PICKLE;
        }
        if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            boolean code = false;
            boolean constants = false;
            boolean data = false;
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    String local = name.indexOf('/') >= 0 ? name.substring(name.indexOf('/') + 1) : name;
                    code |= local.startsWith("code/");
                    constants |= local.equals("constants.pkl");
                    data |= local.equals("data.pkl");
                }
            } catch (ZipException e) {
                return UNKNOWN;
            }
            if (code && constants) {
                return TORCHSCRIPT;
            }
            return data && !code ? TORCH_SAVE_CHECKPOINT : OTHER_ZIP;
        }
        return UNKNOWN;
    }
}
