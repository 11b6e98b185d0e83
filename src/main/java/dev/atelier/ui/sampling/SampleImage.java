package dev.atelier.ui.sampling;

import dev.atelier.consistency.GenerationRequest;
import javafx.scene.image.Image;

/**
 * One result of the Sampling panel.
 *
 * @param image the image at the model's size (shown enlarged with nearest-neighbour scaling)
 * @param seed the seed its noise came from (an interpolation frame: seed A)
 * @param classLabel its class, or null for an unconditional model
 * @param className the class's name from the manifest, or null
 * @param parameters the request that reproduces exactly this image (written into its PNG)
 * @param caption one line for the tooltip: seed, class, steps
 */
public record SampleImage(Image image, long seed, Integer classLabel, String className, GenerationRequest parameters,
        String caption) {
}
