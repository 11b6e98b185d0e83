package dev.atelier;

/**
 * The sizes Atelier accepts, in one place (docs/LIMITS.md lists them with what happens at each). Every size
 * that comes from a user, a manifest or a file header is checked against one of these before anything is
 * allocated for it; counts derived from them are computed in {@code long}.
 */
public final class Limits {
    /** Largest image side of a consistency model (a 512×512×3 test run needs a few hundred MB). */
    public static final int MAX_IMAGE_SIZE = 512;
    /** Largest token context of a language model. */
    public static final int MAX_CONTEXT = 1 << 16;
    /** Most classes of a class-conditional model. */
    public static final int MAX_CLASSES = 100_000;
    /** Most values (floats) one batch of images may hold: 2^28 floats = 1 GiB. */
    public static final long MAX_BATCH_VALUES = 1L << 28;

    private Limits() {
    }

    /**
     * @return the native memory one model may use for its activations and weights: half of this machine's
     *     physical memory (the rest is for the Java heap, the other models and everything else running)
     */
    public static long memoryBudgetBytes() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long total = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
        return total > 0 ? total / 2 : 4L << 30; // 4 GiB when the JVM cannot tell
    }

    /** @return {@code bytes} as "3.2 GB" (decimal units, as system monitors show) */
    public static String gigabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    /** @return the most intra-op threads accepted: twice the cores this machine reports */
    public static int maxThreads() {
        return 2 * Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads a requested intra-op thread count
     * @throws AtelierException if it is below 1 or above {@link #maxThreads()}
     */
    public static int checkThreads(int threads) {
        if (threads < 1 || threads > maxThreads()) {
            throw AtelierException.field("threads", "{threads} " + threads + " is out of range: give 1 to "
                    + maxThreads()
                    + " (twice the " + Runtime.getRuntime().availableProcessors() + " cores here; more threads than "
                    + "cores only slow PyTorch down).");
        }
        return threads;
    }

    /**
     * Checks that {@code images} images of {@code valuesPerImage} floats fit {@link #MAX_BATCH_VALUES}.
     *
     * @param what the job, for the message ("a batch of 64 images")
     * @throws AtelierException saying how many would fit
     */
    public static void checkBatch(long images, long valuesPerImage, String what) {
        // images·values ≤ MAX exactly when images ≤ ⌊MAX / values⌋: no product, so no overflow
        if (images < 0 || valuesPerImage <= 0 || images > MAX_BATCH_VALUES / valuesPerImage) {
            throw new AtelierException(what + " would hold " + images + " images of " + valuesPerImage
                    + " values, more than the " + MAX_BATCH_VALUES + " values (1 GiB) one batch may hold. Use at most "
                    + Math.max(1, MAX_BATCH_VALUES / Math.max(1, valuesPerImage)) + " images at a time.");
        }
    }
}
