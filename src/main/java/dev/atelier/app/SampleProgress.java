package dev.atelier.app;

/**
 * A partial result of a sampling or editing job: after f evaluation {@code step} of {@code total}, the current
 * estimate of every image (finished chunks, the chunk in progress, zeros for chunks still to come).
 *
 * @param step evaluations done
 * @param total evaluations in all
 * @param preview count·C·S·S values in [−1, 1]; a copy, safe to keep
 * @param count number of images
 * @param channels C
 * @param size S
 */
public record SampleProgress(int step, int total, float[] preview, int count, int channels, int size) {
}
