package dev.atelier.consistency.training;

import dev.atelier.train.Checkpoint;
import dev.atelier.train.RandomStream;

/**
 * Batches of an {@link ImageData} in shuffled epochs. Each epoch's order comes from a seed drawn from the
 * order stream, so the state to save is that stream, the epoch's seed and the position in the epoch.
 */
public final class ImageBatchSource implements BatchSource {
    private final ImageData data;
    private final RandomStream order;
    private int[] perm;
    private long epochSeed;
    private int pos;

    /** @param seed seed of the order stream */
    public ImageBatchSource(ImageData data, long seed) {
        this.data = data;
        this.order = new RandomStream(seed ^ 0x6F72646572L);
        newEpoch();
    }

    private void newEpoch() {
        epochSeed = order.nextLong();
        shuffle();
        pos = 0;
    }

    private void shuffle() {
        perm = new int[data.count()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        new RandomStream(epochSeed).shuffle(perm);
    }

    /** @return the images */
    public ImageData data() {
        return data;
    }

    @Override
    public int exampleSize() {
        return data.imageSize();
    }

    @Override
    public long[] exampleShape() {
        return new long[] {data.channels(), data.size(), data.size()};
    }

    @Override
    public int numClasses() {
        return data.labels() == null ? 0 : data.classes().size();
    }

    @Override
    public void next(float[] x, int[] labels) {
        int n = data.imageSize();
        int b = x.length / n;
        for (int i = 0; i < b; i++) {
            if (pos == perm.length) {
                newEpoch();
            }
            int idx = perm[pos++];
            data.copyTo(idx, x, i * n);
            if (data.labels() != null) {
                labels[i] = data.labels()[idx];
            }
        }
    }

    @Override
    public void save(Checkpoint c) {
        c.putRandom("order", order);
        c.header().put("data.epochSeed", epochSeed);
        c.header().put("data.position", pos);
    }

    @Override
    public void restore(Checkpoint c) {
        c.restoreRandom("order", order);
        epochSeed = c.header().path("data.epochSeed").asLong();
        shuffle();
        pos = Math.min(c.header().path("data.position").asInt(), perm.length);
    }
}
