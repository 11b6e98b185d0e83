package dev.atelier.consistency;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.atelier.AtelierException;
import java.util.List;

/**
 * Generate {@code count} images from scratch with {@code steps} f evaluations at {@code sigmas}.
 *
 * @param task always "sample"
 * @param model the model as the user named it
 * @param seed base seed; image i uses seed + i
 * @param count number of images
 * @param steps K
 * @param sigmas σ_1 = T … σ_K
 * @param classLabel class of every image, or null (random per image for conditional models)
 * @param guidance the class-guidance weight w ({@link GuidedModel}), or null: none (settings written before guidance)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"task", "model", "seed", "count", "steps", "sigmas", "class", "guidance"})
public record SampleRequest(String task, String model, long seed, int count, int steps, List<Double> sigmas,
        @JsonProperty("class") Integer classLabel, Double guidance) implements GenerationRequest {
    /** The task name of a sample request. */
    public static final String TASK = "sample";

    /**
     * Checks what a PNG's metadata or a caller gives: the step count must agree with the σ list.
     *
     * @throws AtelierException naming the field that disagrees
     */
    public SampleRequest {
        GenerationRequest.check(steps, sigmas, count);
        GenerationRequest.checkGuidance(guidance);
        sigmas = List.copyOf(sigmas);
    }

    /** A request for {@code count} images without guidance; {@code task} is set to "sample". */
    public SampleRequest(String model, long seed, int count, List<Double> sigmas, Integer classLabel) {
        this(model, seed, count, sigmas, classLabel, null);
    }

    /** A request for {@code count} images; {@code task} is set to "sample". */
    public SampleRequest(String model, long seed, int count, List<Double> sigmas, Integer classLabel,
            Double guidance) {
        this(TASK, model, seed, count, sigmas.size(), List.copyOf(sigmas), classLabel, guidance);
    }

    /** @return the per-image seeds seed, seed+1, … */
    public long[] imageSeeds() {
        long[] s = new long[count];
        for (int i = 0; i < count; i++) {
            s[i] = seed + i;
        }
        return s;
    }
}
