package dev.atelier.base;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code MODEL_DIR/manifest.json} (format {@code atelier-model/1}, see CONTRACTS.md). Fields a kind does
 * not use are null and left out when written. Unknown fields are kept in {@link #architecture} or ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class ModelManifest {
    /** The only format version this code reads. */
    public static final String FORMAT = "atelier-model/1";
    /** The file name inside a model directory. */
    public static final String FILE = "manifest.json";
    /** Shared JSON settings for manifests and reports. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String format = FORMAT;
    /** consistency, language or classifier */
    public String kind;
    public String name;
    /** weights file, relative to the model directory */
    public String weights;
    public ObjectNode architecture;
    public String licence;
    public Training training;
    public ObjectNode metrics;
    /** sha256 of the weights file, hex */
    public String sha256;

    // consistency models
    public Image image;
    public List<String> classes;
    public String c_noise;
    public Boolean scalings_inside;
    public Double sigma_data;
    public Double sigma_min;
    public Double sigma_max;
    public Integer default_steps;
    /** step count → the σ values at which f is evaluated, starting at σmax */
    public Map<String, double[]> schedules;

    // language models
    public String tokenizer;
    public Integer eos;
    public Integer pad;
    public Integer context;
    public Boolean prefix_space;

    /** Image geometry of a consistency model. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Image {
        public int size;
        public int channels;

        public Image() {
        }

        public Image(int size, int channels) {
            this.size = size;
            this.channels = channels;
        }
    }

    /** How the weights were made. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Training {
        public String command;
        public String data;
        public Long steps;
        public Double seconds;
    }

    /**
     * Reads and checks {@code dir/manifest.json}.
     *
     * @throws AtelierException when the file is missing, not JSON, or of another format
     */
    public static ModelManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        ModelManifest m;
        try {
            m = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), ModelManifest.class);
        } catch (NoSuchFileException e) {
            throw new AtelierException("The model directory " + dir + " has no " + FILE + ". A model directory "
                    + "holds the weights and a manifest.json that describes them (see docs/MODELS.md).");
        } catch (JsonProcessingException e) {
            throw new AtelierException("The manifest " + file + " is not valid JSON or has a value of the wrong type ("
                    + AtelierException.jsonProblem(e)
                    + "). Fix the JSON or export the model again (see docs/MODELS.md).", e);
        } catch (IOException e) {
            throw new AtelierException("The manifest " + file + " cannot be read (" + e.getMessage() + "). "
                    + "Fix the JSON or export the model again (see docs/MODELS.md).", e);
        }
        if (!FORMAT.equals(m.format)) {
            throw new AtelierException("The manifest " + file + " has format \"" + m.format + "\"; this version of "
                    + "Atelier reads \"" + FORMAT + "\". Set \"format\":\"" + FORMAT + "\" or export it again.");
        }
        if (m.kind == null) {
            throw new AtelierException("The manifest " + file + " does not say which kind of model it describes. "
                    + "Add \"kind\": \"consistency\", \"language\" or \"classifier\".");
        }
        return m;
    }

    /** @return the manifest as indented JSON */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code dir/manifest.json} atomically. */
    public void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE), (toJson() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** @return a field of {@link #architecture} as an int, or {@code fallback} */
    public int arch(String key, int fallback) {
        JsonNode n = architecture == null ? null : architecture.get(key);
        return n == null || n.isNull() ? fallback : n.asInt();
    }

    /** @return the hex sha256 of a file */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
