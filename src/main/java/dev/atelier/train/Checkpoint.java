package dev.atelier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.base.AtomicFiles;
import dev.atelier.base.ModelManifest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file holding named float tensors and a JSON header: used for training checkpoints (weights, EMA,
 * optimizer moments, step, random-stream states, configuration) and for model weight files. Written
 * atomically, so a crash leaves the previous file intact; meant to be overwritten in place.
 *
 * <p>Layout: the 8 bytes {@code ATLRCKP1}, a big-endian int length and that many bytes of UTF-8 JSON
 * (the header), an int tensor count, then per tensor: a modified-UTF-8 name, an int rank, the dimensions
 * as longs, and the values as little-endian float32.
 */
public final class Checkpoint {
    private static final byte[] MAGIC = "ATLRCKP1".getBytes(StandardCharsets.US_ASCII);

    /** A tensor copied to the Java heap. */
    public record Tensor(long[] shape, float[] data) {
        /** @return an NDArray with this tensor's shape and values, owned by {@code manager} */
        public NDArray toNDArray(NDManager manager) {
            return manager.create(data, new Shape(shape));
        }
    }

    private final ObjectNode header;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    /** An empty checkpoint with an empty header. */
    public Checkpoint() {
        this(ModelManifest.JSON.createObjectNode());
    }

    private Checkpoint(ObjectNode header) {
        this.header = header;
    }

    /** @return the JSON header; change it in place */
    public ObjectNode header() {
        return header;
    }

    /** @return the tensors by name, in insertion order (live view) */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** Copies {@code array} to the heap under {@code name}. */
    public void put(String name, NDArray array) {
        tensors.put(name, new Tensor(array.getShape().getShape(), array.toFloatArray()));
    }

    /** Copies every array of {@code arrays} under {@code prefix + name}. */
    public void putAll(String prefix, Map<String, NDArray> arrays) {
        arrays.forEach((k, v) -> put(prefix + k, v));
    }

    /**
     * @return the tensors whose name starts with {@code prefix}, keyed by the rest of the name
     */
    public Map<String, Tensor> group(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /**
     * @return the tensor called {@code name}
     * @throws AtelierException when it is missing
     */
    public Tensor require(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw AtelierException.field("resume", "The checkpoint has no tensor \"" + name + "\"; it was written by another "
                    + "model or version. Start training afresh (without {resume}) or use the matching checkpoint.");
        }
        return t;
    }

    /** Stores a random stream's state in the header under {@code random.NAME}. */
    public void putRandom(String name, RandomStream stream) {
        RandomStream.State s = stream.state();
        ObjectNode all = header.has("random") ? (ObjectNode) header.get("random") : header.putObject("random");
        ObjectNode n = all.putObject(name);
        n.put("state", s.state());
        n.put("hasSpare", s.hasSpare());
        n.put("spare", s.spare());
    }

    /** Restores a random stream from {@code random.NAME} of the header. */
    public void restoreRandom(String name, RandomStream stream) {
        var n = header.path("random").path(name);
        if (n.isMissingNode()) {
            throw AtelierException.field("resume", "The checkpoint has no state for the random stream \"" + name + "\", so it "
                    + "cannot be resumed exactly. Start training afresh (without {resume}).");
        }
        stream.restore(new RandomStream.State(n.get("state").asLong(), n.get("hasSpare").asBoolean(),
                n.get("spare").asDouble()));
    }

    /** Writes the checkpoint atomically to {@code file}, replacing it. */
    public void write(Path file) throws IOException {
        for (String key : new String[] {"data", "command"}) { // where the inputs came from, not the folders
            if (header.path(key).isTextual()) {
                header.put(key, ModelManifest.withoutFolders(header.get(key).asText()));
            }
        }
        byte[] json = ModelManifest.JSON.writeValueAsBytes(header);
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.write(MAGIC);
            out.writeInt(json.length);
            out.write(json);
            out.writeInt(tensors.size());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                out.writeUTF(e.getKey());
                out.writeInt(t.shape().length);
                for (long d : t.shape()) {
                    out.writeLong(d);
                }
                ByteBuffer buf = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data());
                out.write(buf.array());
            }
            out.flush();
        });
    }

    private static void checkLength(long value, long max, String what) throws IOException {
        if (value < 0 || value > max) {
            throw new IOException(what + " has the impossible length " + value + " (damaged file)");
        }
    }

    /**
     * Reads a checkpoint or weight file.
     *
     * @throws AtelierException when the file is missing, of another format, or cut short
     */
    public static Checkpoint read(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new AtelierException("The checkpoint " + file + " is not a regular file (a folder, device or pipe). "
                    + "Point to the file written by atelier train-cm/train-lm.");
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            // every length read from the file is checked against the bytes the file still has before anything is
            // allocated: a damaged length must give a message, never a huge allocation or a negative size
            long left = Files.size(file);
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            left -= MAGIC.length;
            if (!Arrays.equals(magic, MAGIC)) {
                throw new AtelierException("The file " + file + " is not an Atelier checkpoint or weight file (it "
                        + "does not start with ATLRCKP1). Point to the file written by atelier train-cm/train-lm.");
            }
            int headerLength = in.readInt();
            left -= 4;
            checkLength(headerLength, left, "the header");
            byte[] json = new byte[headerLength];
            in.readFully(json);
            left -= headerLength;
            Checkpoint c = new Checkpoint((ObjectNode) ModelManifest.JSON.readTree(dev.atelier.Json.decode(json)));
            int count = in.readInt();
            left -= 4;
            checkLength(count, left / 7, "the tensor count"); // a tensor takes at least 7 bytes
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                left -= 2 + name.getBytes(StandardCharsets.UTF_8).length;
                int rank = in.readInt();
                left -= 4;
                checkLength(rank, Math.min(64, left / 8), "the rank of tensor " + name);
                long[] shape = new long[rank];
                long n = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                    left -= 8;
                    checkLength(shape[d], Integer.MAX_VALUE, "a dimension of tensor " + name);
                    n = Math.multiplyExact(n, shape[d]);
                }
                if (n > Integer.MAX_VALUE / 4 || n * 4 > left) {
                    throw new IOException("tensor " + name + " claims " + n + " values, more than the file holds");
                }
                byte[] bytes = new byte[(int) n * 4];
                in.readFully(bytes);
                left -= bytes.length;
                float[] data = new float[(int) n];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                c.tensors.put(name, new Tensor(shape, data));
            }
            return c;
        } catch (NoSuchFileException e) {
            throw AtelierException.field("resume", "The checkpoint " + file + " does not exist. Check the path, or train without "
                    + "{resume} to start a new one.");
        } catch (EOFException e) {
            throw new AtelierException("The checkpoint " + file + " is cut short. Restore it from git "
                    + "(git checkout -- " + file.getFileName() + ") or start training afresh.", e);
        } catch (IOException | ClassCastException | ArithmeticException e) {
            throw new AtelierException("The checkpoint " + file + " cannot be read (" + AtelierException.reason(e) + "). Restore "
                    + "it from git or start training afresh.", e);
        }
    }
}
