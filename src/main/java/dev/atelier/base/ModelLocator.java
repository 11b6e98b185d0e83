package dev.atelier.base;

import dev.atelier.AtelierException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves {@code --model X}: a path to a model file or directory, or a bare name under the shipped
 * {@code assets/models/}. The assets directory is found, in order, from the system property
 * {@code atelier.assets}, the working directory, and the directories above the application's jar
 * (a packaged app keeps its assets next to its jars).
 */
public final class ModelLocator {
    private ModelLocator() {
    }

    /** @return the shipped assets directory, or null if none is found */
    public static Path assetsDir() {
        String prop = System.getProperty("atelier.assets");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        Path cwd = Path.of("assets").toAbsolutePath();
        if (Files.isDirectory(cwd.resolve("models"))) {
            return cwd;
        }
        try {
            Path p = Path.of(ModelLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = p; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("assets");
                if (Files.isDirectory(candidate.resolve("models"))) {
                    return candidate;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through: no assets found
        }
        return null;
    }

    /** @return the directory of shipped models, or null */
    public static Path modelsDir() {
        Path a = assetsDir();
        return a == null ? null : a.resolve("models");
    }

    /**
     * @param spec a path or a bare model name; a trailing slash is fine
     * @return the existing file or directory it names
     * @throws AtelierException naming what was looked for and the shipped models
     */
    public static Path resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            throw AtelierException.field("model", "No {model} given. Give a path or one of the shipped models: "
                    + String.join(", ", shippedNames()) + ".");
        }
        String s = spec.length() > 1 && (spec.endsWith("/") || spec.endsWith("\\"))
                ? spec.substring(0, spec.length() - 1) : spec;
        Path direct = Path.of(s);
        if (Files.exists(direct)) {
            return direct.toAbsolutePath();
        }
        Path models = modelsDir();
        if (models != null && !s.contains("/") && !s.contains("\\") && Files.exists(models.resolve(s))) {
            return models.resolve(s);
        }
        List<String> names = shippedNames();
        throw AtelierException.field("model", "Model \"" + spec + "\" not found: it is neither an existing path nor a shipped "
                + "model. Shipped models: " + (names.isEmpty() ? "none found" : String.join(", ", names))
                + ". Give a path to a model directory (with manifest.json) or file.");
    }

    /** @return the names of the shipped model directories (those holding a manifest.json) */
    public static List<String> shippedNames() {
        List<String> names = new ArrayList<>();
        Path models = modelsDir();
        if (models == null || !Files.isDirectory(models)) {
            return names;
        }
        try (Stream<Path> s = Files.list(models)) {
            s.filter(p -> Files.isRegularFile(p.resolve(ModelManifest.FILE)))
                    .map(p -> p.getFileName().toString()).sorted().forEach(names::add);
        } catch (IOException e) {
            // an unreadable assets directory lists as empty
        }
        return names;
    }
}
