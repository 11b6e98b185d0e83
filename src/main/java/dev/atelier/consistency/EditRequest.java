package dev.atelier.consistency;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A zero-shot edit (Algorithm 4). Only the fields of its task are set; the others are null.
 *
 * @param task inpaint, colorize, superres, denoise, stroke or interpolate
 * @param model the model as the user named it
 * @param seed base seed; result i uses seed + i (interpolate: unused, see seedA/seedB)
 * @param count number of results (interpolate: the frame count)
 * @param steps K, the number of f evaluations
 * @param sigmas σ_1 … σ_K (denoise: the single level σ)
 * @param classLabel class of every result ({@link ConsistencyModel#NO_CLASS}: the null class), or null (unconditional
 *     models; interpolate without a class: drawn from seedA)
 * @param image the input image's file name, without its folder (not for interpolate); the request goes into
 *     every output PNG, which must not reveal where the user keeps files: a path given here is cut to its name
 * @param imageSha256 sha256 of the input image file
 * @param mask the mask's file name, without its folder (inpaint: white = regenerate, black = keep)
 * @param maskSha256 sha256 of the mask file
 * @param sigma the noise level of the input (denoise)
 * @param patch the patch side p (superres)
 * @param seedA the first seed (interpolate)
 * @param seedB the second seed (interpolate)
 * @param detected the class inferred from the kept part when none was given (then {@code classLabel} is it), or null
 * @param guidance the class-guidance weight w ({@link GuidedModel}), or null: none (settings written before guidance)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"task", "model", "seed", "count", "steps", "sigmas", "class", "image", "imageSha256", "mask",
    "maskSha256", "sigma", "patch", "seedA", "seedB", "detected", "guidance"})
public record EditRequest(String task, String model, long seed, int count, int steps, List<Double> sigmas,
        @JsonProperty("class") Integer classLabel, String image, String imageSha256, String mask, String maskSha256,
        Double sigma, Integer patch, Long seedA, Long seedB, EditClassInference.Detected detected, Double guidance)
        implements GenerationRequest {
    /**
     * Checks what a PNG's metadata or a caller gives: a known task, and a step count that agrees with the σ list.
     * Keeps only the file names of the image and mask (see {@code image}).
     *
     * @throws dev.atelier.AtelierException naming the field that disagrees
     */
    public EditRequest {
        EditTask.of(task);
        GenerationRequest.check(steps, sigmas, count);
        GenerationRequest.checkGuidance(guidance);
        sigmas = List.copyOf(sigmas);
        image = fileName(image);
        mask = fileName(mask);
    }

    private static String fileName(String path) {
        if (path == null) {
            return null;
        }
        int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(cut + 1);
    }

    /** An edit whose class was given (or that has none): no {@code detected}, no guidance. */
    public EditRequest(String task, String model, long seed, int count, int steps, List<Double> sigmas,
            Integer classLabel, String image, String imageSha256, String mask, String maskSha256, Double sigma,
            Integer patch, Long seedA, Long seedB) {
        this(task, model, seed, count, steps, sigmas, classLabel, image, imageSha256, mask, maskSha256, sigma, patch,
                seedA, seedB, null, null);
    }

    /** @return the task as an enum */
    @JsonIgnore
    public EditTask editTask() {
        return EditTask.of(task);
    }

    /** @return the per-result seeds seed, seed+1, … (interpolate: seedA for every frame's class) */
    public long[] imageSeeds() {
        long[] s = new long[count];
        for (int i = 0; i < count; i++) {
            s[i] = editTask() == EditTask.INTERPOLATE ? seedA : seed + i;
        }
        return s;
    }
}
