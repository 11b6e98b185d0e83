package dev.atelier.app;

import dev.atelier.consistency.GenerationRequest;
import dev.atelier.image.PngImages;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * What a sampling or editing job made and exactly how: the settings that ran (model, seed, σ list, task, inputs'
 * hashes; written into the PNG), the images, their classes and the time.
 *
 * @param settings what ran, as stored in the PNG's {@code atelier} text chunk
 * @param pixels count·C·S·S values in [−1, 1], image after image
 * @param count number of images
 * @param channels C
 * @param size S
 * @param labels the class of each image, or null for an unconditional model
 * @param seconds time spent in the model
 */
public record ImageResult(GenerationRequest settings, float[] pixels, int count, int channels, int size,
        int[] labels, double seconds) {
    /** @return the per-image seeds that ran */
    public long[] seeds() {
        return settings.imageSeeds();
    }

    /** @return image {@code i} as C·S·S values in [−1, 1] */
    public float[] image(int i) {
        int n = channels * size * size;
        return Arrays.copyOfRange(pixels, i * n, (i + 1) * n);
    }

    /**
     * @param gap pixels between tiles, 0 or more
     * @return the images tiled in a near-square grid, row-major
     */
    public BufferedImage grid(int gap) {
        return PngImages.grid(pixels, count, channels, size, gap);
    }

    /** @return the grid as PNG bytes with the settings in the {@code atelier} text chunk */
    public byte[] png(int gap) {
        return PngImages.encode(grid(gap), settings.toJson());
    }
}
