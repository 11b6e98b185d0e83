package dev.atelier.base;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.Limits;
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
 * {@code MODEL_DIR/manifest.json} (format {@code atelier-model/1}, see docs/FORMATS.md). Fields a kind does
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
    public static final ObjectMapper JSON = dev.atelier.Json.MAPPER;

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
    /**
     * Optional, class-conditional models with a "no class": the default class-guidance weight w of sampling
     * ({@code consistency.GuidedModel}); absent or 0: no guidance.
     */
    public Double guidance;
    /**
     * Optional, TorchScript consistency models: true when label {@code classes.size()} is the network's "no class"
     * label (classifier-free guidance style); Atelier's own UNet always has one.
     */
    public Boolean null_class;
    /** step count → the σ values at which f is evaluated, starting at σmax */
    public Map<String, double[]> schedules;
    /**
     * Optional: edit task (inpaint, superres, stroke, colorize) → its default noise levels, tuned by
     * {@code atelier eval-edit}; without it editing uses the sampling schedule ({@code consistency.EditSchedule}).
     */
    public Map<String, EditEntry> edit_schedules;

    /** @return the default class-guidance weight of sampling ({@link #guidance}), 0 when the manifest gives none */
    public double defaultGuidance() {
        return guidance == null ? 0 : guidance;
    }

    /** @return the default class-guidance weight of an edit task ({@code edit_schedules.<task>.guidance}), 0 if none */
    public double editGuidance(String task) {
        EditEntry e = edit_schedules == null ? null : edit_schedules.get(task);
        return e == null || e.guidance() == null ? 0 : e.guidance();
    }

    /**
     * One task's editing schedule in the manifest.
     *
     * @param sigmas σ_1 ≥ … ≥ σ_K (a repeated level resamples)
     * @param resample extra passes at every level after the first, or null
     * @param guidance the task's default class-guidance weight, or null (none)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EditEntry(List<Double> sigmas, Integer resample, Double guidance) {
    }

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
            m = JSON.readValue(dev.atelier.Json.readText(file), ModelManifest.class);
        } catch (NoSuchFileException e) {
            throw new AtelierException("The model directory " + dir + " has no " + FILE + ". A model directory "
                    + "holds the weights and a manifest.json that describes them (see docs/MODELS.md).");
        } catch (JsonProcessingException e) {
            throw new AtelierException("The manifest " + file + " is not valid JSON or has a value of the wrong type ("
                    + AtelierException.jsonProblem(e)
                    + "). Fix the JSON or export the model again (see docs/MODELS.md).", e);
        } catch (IOException e) {
            throw new AtelierException("The manifest " + file + " cannot be read (" + AtelierException.reason(e) + "). "
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
        m.validate(file);
        return m;
    }

    /**
     * The checks every manifest gets, whatever its kind and whoever wrote it (Atelier's own included): noise
     * levels positive and finite with σmin &lt; σmax, image geometry and class list within {@link Limits},
     * token ids and context in range.
     */
    private void validate(Path file) {
        for (Object[] f : new Object[][] {{"sigma_data", sigma_data}, {"sigma_min", sigma_min}, {"sigma_max", sigma_max}}) {
            Double v = (Double) f[1];
            if (v != null && !(v > 0 && Double.isFinite(v))) {
                throw new AtelierException("The manifest " + file + " gives " + f[0] + " " + v + "; it must be a "
                        + "positive finite number. Fix manifest.json (usually sigma_data 0.5, sigma_min 0.002, "
                        + "sigma_max 80).");
            }
        }
        if ((sigma_min != null || sigma_max != null)
                && !(orElse(sigma_min, 0.002) < orElse(sigma_max, 80.0))) {
            throw new AtelierException("The manifest " + file + " gives sigma_min " + orElse(sigma_min, 0.002)
                    + " and sigma_max " + orElse(sigma_max, 80.0) + "; sigma_min must be below sigma_max. Fix "
                    + "manifest.json (usually 0.002 and 80).");
        }
        if (image != null && (image.size < 1 || image.size > Limits.MAX_IMAGE_SIZE
                || (image.channels != 1 && image.channels != 3))) {
            throw new AtelierException("The manifest " + file + " gives image size " + image.size + " and channels "
                    + image.channels + "; Atelier takes sizes 1 to " + Limits.MAX_IMAGE_SIZE + " and 1 or 3 channels. "
                    + "Fix \"image\" in manifest.json.");
        }
        if (classes != null) {
            if (classes.size() > Limits.MAX_CLASSES) {
                throw new AtelierException("The manifest " + file + " lists " + classes.size() + " classes, more than "
                        + Limits.MAX_CLASSES + ". Fix \"classes\" in manifest.json.");
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String c : classes) {
                if (c == null || c.isBlank() || !seen.add(c)) {
                    throw new AtelierException("The manifest " + file + " has a " + (c == null || c.isBlank()
                            ? "blank class name" : "class name given twice (\"" + c + "\")") + ". Give each class "
                            + "one distinct name in \"classes\".");
                }
            }
        }
        if (context != null && (context < 1 || context > Limits.MAX_CONTEXT)) {
            throw new AtelierException("The manifest " + file + " gives context " + context + "; give 1 to "
                    + Limits.MAX_CONTEXT + " tokens.");
        }
        if ((eos != null && eos < 0) || (pad != null && pad < 0)) {
            throw new AtelierException("The manifest " + file + " gives a negative token id (eos " + eos + ", pad "
                    + pad + "). Use the ids of the tokenizer's end-of-text and padding tokens.");
        }
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new AtelierException("The manifest " + file + " has \"sha256\" \"" + sha256 + "\", which is not "
                    + "64 hex digits. Give the weights file's sha256 (sha256sum FILE) or leave the field out.");
        }
    }

    private static double orElse(Double v, double fallback) {
        return v == null ? fallback : v;
    }

    /**
     * A file the manifest names (weights, tokenizer), inside {@code dir}: a relative path that stays inside
     * the directory and names a regular file (a FIFO or device would block or feed endless bytes).
     *
     * @param name the name from the manifest
     * @param field the manifest field it came from, for the message
     * @throws AtelierException naming the field and the fix
     */
    public static Path fileIn(Path dir, String name, String field) {
        Path manifest = dir.resolve(FILE);
        Path rel;
        try {
            rel = name == null || name.isBlank() ? null : Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            rel = null;
        }
        Path base = dir.toAbsolutePath().normalize();
        Path f = rel == null ? null : base.resolve(rel).normalize();
        if (f == null || rel.isAbsolute() || !f.startsWith(base) || f.equals(base)) {
            throw new AtelierException("The manifest " + manifest + " names \"" + field + "\": \"" + name + "\", which "
                    + "is not a file inside the model directory. Give a file name relative to the directory (e.g. "
                    + "\"model.pt\"); paths that leave the directory are refused.");
        }
        if (!Files.exists(f)) {
            throw new AtelierException("The " + field + " file " + f + " named by the manifest does not exist. Put it "
                    + "in the model directory or fix \"" + field + "\" in manifest.json.");
        }
        if (!Files.isRegularFile(f)) {
            throw new AtelierException("The " + field + " file " + f + " named by the manifest is not a regular file (a "
                    + "folder, device or pipe), so it is not opened. Put the real file in the model directory.");
        }
        return f;
    }

    /**
     * The weights file ({@link #fileIn}, {@code fallback} when the manifest names none), checked against the
     * manifest's sha256 when it has one.
     *
     * @throws AtelierException if it is missing, outside the directory, or damaged
     */
    public Path weightsIn(Path dir, String fallback) {
        Path f = fileIn(dir, weights == null ? fallback : weights, "weights");
        verify(f);
        return f;
    }

    /**
     * Checks {@code weightsFile} against {@link #sha256}, when the manifest has one.
     *
     * @throws AtelierException if the file's hash differs (damaged or replaced in place)
     */
    public void verify(Path weightsFile) {
        if (sha256 == null) {
            return;
        }
        String actual;
        try {
            actual = sha256(weightsFile);
        } catch (IOException e) {
            throw new AtelierException("The weights file " + weightsFile + " cannot be read (" + e.getMessage()
                    + "). Check its permissions or copy the model again.", e);
        }
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new AtelierException("The weights file " + weightsFile + " does not match the sha256 in its manifest "
                    + "(expected " + sha256.toLowerCase(java.util.Locale.ROOT) + ", found " + actual + "): it was "
                    + "damaged or replaced after the model was written. Copy the model directory again; if you changed "
                    + "the weights on purpose, put the new sha256 in manifest.json.");
        }
    }

    /** @return the manifest as indented JSON */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code dir/manifest.json} atomically. Absolute paths in {@code training.command} and
     * {@code training.data} are cut to their file names first ({@link #withoutFolders}): a shipped manifest
     * must not carry the folders of the machine that trained it.
     */
    public void write(Path dir) throws IOException {
        if (training != null) {
            training.command = withoutFolders(training.command);
            training.data = withoutFolders(training.data);
        }
        AtomicFiles.write(dir.resolve(FILE), (toJson() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static final java.util.regex.Pattern ABSOLUTE_PATH =
            java.util.regex.Pattern.compile("(?<=^|[\\s=(,:\"'])(?:/|~/|[A-Za-z]:\\\\)[^\\s,;)\"']*");

    /**
     * @return {@code text} with every absolute path (Unix, {@code ~/…} or a Windows drive path) cut to its last
     *     name: "--data /home/me/x/train.gz" becomes "--data train.gz"; null stays null
     */
    public static String withoutFolders(String text) {
        if (text == null) {
            return null;
        }
        return ABSOLUTE_PATH.matcher(text).replaceAll(m -> {
            String p = m.group();
            String trimmed = p.replaceAll("[/\\\\]+$", "");
            int cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
            return java.util.regex.Matcher.quoteReplacement(trimmed.substring(cut + 1));
        });
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
