package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.consistency.EditTask;

/**
 * A zero-shot edit (Algorithm 4), one record per task so that each holds exactly the inputs its task uses. Images
 * and masks come as files or in memory ({@link ImageInput}, {@link MaskInput}). Validated when built; what ran
 * (σ list, seeds, labels, time) is in the {@link ImageResult}.
 *
 * <p>Common fields: {@code model} (null: the first shipped consistency model), {@code seed} (result i uses
 * seed + i; null: random), {@code count} (1…1024), {@code schedule} (steps or σ list; {@link Schedule#DEFAULT}),
 * {@code classLabel} (index or name for every result; "none" for the model's unconditional mode; null or "auto":
 * inferred from what the edit keeps, see {@link EditingService#detectClass}).
 */
public sealed interface EditingRequest {
    /** @return which edit */
    EditTask task();

    /** @return the model, or null for the default */
    String model();

    /** @return the class index or name, "none", or null / "auto" (inferred) */
    String classLabel();

    /** @return the input image, or null (interpolate) */
    default ImageInput image() {
        return null;
    }

    /** @return the inpainting mask, or null (other tasks) */
    default MaskInput mask() {
        return null;
    }

    /** @return the base seed, or null for a random one (denoise and interpolate: unused) */
    default Long seed() {
        return null;
    }

    /** @return the number of results (interpolate: frames) */
    default int count() {
        return 1;
    }

    /** @return the steps or σ list (denoise: unused) */
    default Schedule schedule() {
        return Schedule.DEFAULT;
    }

    /** Regenerate the mask's white pixels, keep the others bit-exact. */
    record Inpaint(String model, ImageInput image, MaskInput mask, Long seed, int count, Schedule schedule,
            String classLabel) implements EditingRequest {
        /** @throws AtelierException naming the missing or out-of-range field */
        public Inpaint {
            model = Checks.blankToNull(model);
            classLabel = Checks.blankToNull(classLabel);
            needImage(image, EditTask.INPAINT);
            if (mask == null) {
                throw AtelierException.field("mask", "{task} inpaint needs {mask} (white = regenerate, black = keep).");
            }
            Checks.count("count", count);
            schedule = schedule == null ? Schedule.DEFAULT : schedule;
        }

        @Override
        public EditTask task() {
            return EditTask.INPAINT;
        }
    }

    /** Keep the luminance, generate the chroma (RGB models). */
    record Colorize(String model, ImageInput image, Long seed, int count, Schedule schedule, String classLabel)
            implements EditingRequest {
        /** @throws AtelierException naming the missing or out-of-range field */
        public Colorize {
            model = Checks.blankToNull(model);
            classLabel = Checks.blankToNull(classLabel);
            needImage(image, EditTask.COLORIZE);
            Checks.count("count", count);
            schedule = schedule == null ? Schedule.DEFAULT : schedule;
        }

        @Override
        public EditTask task() {
            return EditTask.COLORIZE;
        }
    }

    /**
     * Keep each patch × patch block's mean, generate the detail.
     *
     * @param patch the block side, 1 or more, dividing the model's image size ({@link #DEFAULT_PATCH} by default)
     */
    record Superres(String model, ImageInput image, int patch, Long seed, int count, Schedule schedule,
            String classLabel) implements EditingRequest {
        /** The default block side. */
        public static final int DEFAULT_PATCH = 4;

        /** @throws AtelierException naming the missing or out-of-range field */
        public Superres {
            model = Checks.blankToNull(model);
            classLabel = Checks.blankToNull(classLabel);
            needImage(image, EditTask.SUPERRES);
            if (patch < 1) {
                throw AtelierException.field("patch", "{patch} " + patch + " is out of range: give a patch side of 1 "
                        + "or more that divides the model's image size (e.g. 4).");
            }
            Checks.count("count", count);
            schedule = schedule == null ? Schedule.DEFAULT : schedule;
        }

        @Override
        public EditTask task() {
            return EditTask.SUPERRES;
        }
    }

    /**
     * One evaluation f(y, σ) of an image carrying noise of level σ: deterministic, one result.
     *
     * @param sigma the input's noise level, in the model's units (data in [−1, 1])
     */
    record Denoise(String model, ImageInput image, Double sigma, String classLabel) implements EditingRequest {
        /** @throws AtelierException naming the missing or out-of-range field */
        public Denoise {
            model = Checks.blankToNull(model);
            classLabel = Checks.blankToNull(classLabel);
            needImage(image, EditTask.DENOISE);
            if (sigma == null) {
                throw AtelierException.field("sigma", "{task} denoise needs {sigma}, the noise level of the input.");
            }
            if (!Double.isFinite(sigma) || sigma <= 0) {
                throw AtelierException.field("sigma", "{sigma} " + sigma + " is not a noise level: give a positive "
                        + "number in the model's units (data in [−1, 1]), e.g. 0.3.");
            }
        }

        @Override
        public EditTask task() {
            return EditTask.DENOISE;
        }
    }

    /** SDEdit: noise a rough stroke painting to σ_1 and sample from there (5.38 then 2.24 by default). */
    record Stroke(String model, ImageInput image, Long seed, int count, Schedule schedule, String classLabel)
            implements EditingRequest {
        /** @throws AtelierException naming the missing or out-of-range field */
        public Stroke {
            model = Checks.blankToNull(model);
            classLabel = Checks.blankToNull(classLabel);
            needImage(image, EditTask.STROKE);
            Checks.count("count", count);
            schedule = schedule == null ? Schedule.DEFAULT : schedule;
        }

        @Override
        public EditTask task() {
            return EditTask.STROKE;
        }
    }

    /**
     * Frames between the samples of two seeds, by spherical interpolation of their noise.
     *
     * @param seedA the first seed (null: random)
     * @param seedB the second seed (null: random)
     * @param frames frames from A to B, 2…1024 (the two ends included)
     */
    record Interpolate(String model, Long seedA, Long seedB, int frames, Schedule schedule, String classLabel)
            implements EditingRequest {
        /** The default frame count. */
        public static final int DEFAULT_FRAMES = 8;

        /** @throws AtelierException naming the out-of-range field */
        public Interpolate {
            model = Checks.blankToNull(model);
            classLabel = Checks.blankToNull(classLabel);
            Checks.count("frames", frames);
            if (frames < 2) {
                throw AtelierException.field("frames", "{frames} must be at least 2 (the two ends).");
            }
            schedule = schedule == null ? Schedule.DEFAULT : schedule;
        }

        @Override
        public EditTask task() {
            return EditTask.INTERPOLATE;
        }

        @Override
        public int count() {
            return frames;
        }
    }

    private static void needImage(ImageInput image, EditTask task) {
        if (image == null) {
            throw AtelierException.field("image", "{task} " + task.id() + " needs {image}.");
        }
    }
}
