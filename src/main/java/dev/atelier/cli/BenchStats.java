package dev.atelier.cli;

import java.util.Arrays;

/** Small statistics shared by the bench subcommands. */
final class BenchStats {
    private BenchStats() {
    }

    /** @return the median of {@code v} (the mean of the two middle values for an even count) */
    static double median(double[] v) {
        if (v.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }

    /** @return the median of {@code v}, rounded to the nearest whole number */
    static long median(long[] v) {
        return Math.round(median(Arrays.stream(v).asDoubleStream().toArray()));
    }
}
