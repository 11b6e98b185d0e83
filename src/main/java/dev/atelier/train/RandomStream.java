package dev.atelier.train;

/**
 * A seedable random stream whose whole state is two numbers and a flag, so training can save it in a
 * checkpoint and resume bit-for-bit (DJL's native generator state cannot be read). SplitMix64 for the
 * bits; Gaussians by the Marsaglia polar method, the second value of each pair kept for the next call.
 * Not thread-safe: one stream per use (noise, σ indices, batch order).
 */
public final class RandomStream {
    private long state;
    private boolean hasSpare;
    private double spare;

    /** @param seed any value; equal seeds give equal streams */
    public RandomStream(long seed) {
        this.state = seed;
    }

    /** @return the next 64 random bits */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return uniform in [0, 1) with 53 random bits */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return uniform integer in [0, bound) without modulo bias */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** @return a standard normal value */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }

    /** Fills {@code out} with standard normal values. */
    public void fillGaussian(float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) nextGaussian();
        }
    }

    /** Shuffles {@code a} in place (Fisher–Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** @return a new independent stream seeded from this one */
    public RandomStream split() {
        return new RandomStream(nextLong());
    }

    /** The complete state of a stream, for checkpoints. */
    public record State(long state, boolean hasSpare, double spare) {
    }

    /** @return the current state; {@link #restore(State)} brings the stream back to it */
    public State state() {
        return new State(state, hasSpare, spare);
    }

    /** Sets the stream to a saved state. */
    public void restore(State s) {
        this.state = s.state();
        this.hasSpare = s.hasSpare();
        this.spare = s.spare();
    }
}
