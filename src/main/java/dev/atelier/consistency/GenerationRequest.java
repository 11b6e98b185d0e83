package dev.atelier.consistency;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.atelier.AtelierException;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The parameters of one image job. The same record drives the command line, the studio and the PNG
 * metadata (a {@code tEXt} chunk {@code atelier} holds {@link #toJson()}), so a dropped PNG restores its
 * settings with {@link #fromJson(String)}.
 */
public sealed interface GenerationRequest permits SampleRequest, EditRequest {
    /** JSON settings: ASCII only (non-ASCII escaped), so the text fits a Latin-1 PNG tEXt chunk. */
    ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // read whole or refused, as every Atelier JSON (see dev.atelier.Json)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** @return "sample", or the edit task (inpaint, colorize, superres, denoise, stroke, interpolate) */
    String task();

    /** @return the model as the user named it (a shipped name or a path) */
    String model();

    /** @return the base seed: image i draws its noise from seed + i */
    long seed();

    /** @return the σ list, σ_1 … σ_K */
    List<Double> sigmas();

    /**
     * @return the class of every image, {@link ConsistencyModel#NO_CLASS} for the model's unconditional mode, or
     *     null: random per image for conditional models (sampling; editing resolves its class before the request)
     */
    Integer classLabel();

    /** @return the seed each image's noise was drawn from */
    long[] imageSeeds();

    /** @return the class-guidance weight w, or null: none */
    Double guidance();

    /** @return w, 0 when none */
    default double guidanceWeight() {
        return guidance() == null ? 0 : guidance();
    }

    /**
     * Checks a guidance weight read from settings: null, or 0…{@value GuidedModel#MAX_WEIGHT} (whether the model
     * can be guided is checked when the job runs).
     *
     * @throws AtelierException (field {@code guidance})
     */
    static void checkGuidance(Double guidance) {
        if (guidance != null && !(guidance >= 0 && guidance <= GuidedModel.MAX_WEIGHT)) {
            throw AtelierException.field("guidance", "{guidance} " + guidance + " is out of range: give 0 (none) to "
                    + (int) GuidedModel.MAX_WEIGHT + ".");
        }
    }

    /** @return this request as one JSON object */
    default String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a request written by {@link #toJson()}: {@code "task":"sample"} gives a {@link SampleRequest},
     * any other task an {@link EditRequest}.
     */
    static GenerationRequest fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject() || !node.hasNonNull("task")) {
                throw new AtelierException("The text is not Atelier generation parameters (a JSON object with a "
                        + "\"task\"). Use a PNG written by atelier sample or atelier edit.");
            }
            Class<? extends GenerationRequest> type = "sample".equals(node.get("task").asText())
                    ? SampleRequest.class : EditRequest.class;
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new AtelierException("The generation parameters cannot be read (" + AtelierException.reason(e) + "). Use a "
                    + "PNG written by atelier sample or atelier edit.", e);
        }
    }

    /**
     * The one check of a class against a model: none for an unconditional model, 0…numClasses−1 otherwise.
     *
     * @param classLabel the class asked for, or null (random per image)
     * @param numClasses the model's class count (0: unconditional)
     * @throws AtelierException (field {@code classLabel}) for a class the model does not have
     */
    static void checkClass(Integer classLabel, int numClasses) {
        if (classLabel == null) {
            return;
        }
        if (numClasses == 0) {
            throw AtelierException.field("classLabel", "{classLabel} was given, but this model is unconditional (its "
                    + "manifest lists no classes). Leave out {classLabel}.");
        }
        if (classLabel < 0 || classLabel >= numClasses) {
            throw AtelierException.field("classLabel", "Class " + classLabel + " does not exist: this model has "
                    + "classes 0…" + (numClasses - 1) + ". Give one of those (or a class name from its manifest).");
        }
    }

    /** The most images one job makes. */
    int MAX_COUNT = 1024;

    /**
     * Checks the fields every request shares, as a form's request is checked: 1…{@value #MAX_COUNT} images, and a
     * σ list of exactly {@code steps} values (1…64).
     */
    static void check(int steps, List<Double> sigmas, int count) {
        if (sigmas == null || sigmas.isEmpty()) {
            throw AtelierException.field("sigmas", "The settings have no σ list. Give the noise levels, largest first.");
        }
        if (steps != sigmas.size()) {
            throw AtelierException.field("steps", "The settings say " + steps + " steps but list " + sigmas.size()
                    + " noise levels " + sigmas + "; a step count and its σ list must agree.");
        }
        SigmaSchedule.checkSteps(steps);
        if (count < 1 || count > MAX_COUNT) {
            throw AtelierException.field("count", "{count} " + count + " is out of range: give 1 to " + MAX_COUNT
                    + ".");
        }
    }

    /** @return σ list as an array */
    default double[] sigmaArray() {
        double[] s = new double[sigmas().size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = sigmas().get(i);
        }
        return s;
    }

    /**
     * The class of each image: {@code classLabel} for all, or, for a conditional model without one, a class
     * drawn from image i's own seed (seed + i), so it does not depend on the batch either.
     *
     * @param numClasses the model's class count (0: unconditional, returns null)
     * @param seeds the per-image seeds
     */
    static int[] labels(Integer classLabel, int numClasses, long[] seeds) {
        return labels(classLabel, numClasses, false, seeds);
    }

    /**
     * As {@link #labels(Integer, int, long[])}, and {@code classLabel} may be {@link ConsistencyModel#NO_CLASS}
     * when the model has a null class.
     */
    static int[] labels(Integer classLabel, int numClasses, boolean nullClass, long[] seeds) {
        if (classLabel != null && classLabel == ConsistencyModel.NO_CLASS && numClasses > 0) {
            if (!nullClass) {
                throw AtelierException.field("classLabel", "This model has no unconditional (\"none\") class: it was "
                        + "not trained with one. Give one of its classes 0…" + (numClasses - 1) + ", or auto.");
            }
        } else {
            checkClass(classLabel, numClasses);
        }
        if (numClasses == 0) {
            return null;
        }
        int[] labels = new int[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            labels[i] = classLabel != null ? classLabel : new SplittableRandom(seeds[i]).nextInt(numClasses);
        }
        return labels;
    }
}
