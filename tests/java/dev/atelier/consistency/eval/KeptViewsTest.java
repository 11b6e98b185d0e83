package dev.atelier.consistency.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atelier.train.RandomStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The kept views the class-inference classifier trains on, against views built by hand. */
class KeptViewsTest {
    static final int SIZE = 8;

    /** Pixel i of the test image: distinct values, so every view is told apart by its pixels. */
    static float[] image() {
        float[] v = new float[SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i - 32) / 40f;
        }
        return v;
    }

    /**
     * The image with one half (0 right, 1 left, 2 bottom, 3 top) set to the mean of the other half, written out with
     * rows and columns.
     */
    static float[] halfView(int side) {
        float[] v = image();
        double sum = 0;
        int kept = 0;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (!inHalf(side, x, y)) {
                    sum += v[y * SIZE + x];
                    kept++;
                }
            }
        }
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (inHalf(side, x, y)) {
                    v[y * SIZE + x] = (float) (sum / kept);
                }
            }
        }
        return v;
    }

    static boolean inHalf(int side, int x, int y) {
        return switch (side) {
            case 0 -> x >= SIZE / 2;
            case 1 -> x < SIZE / 2;
            case 2 -> y >= SIZE / 2;
            default -> y < SIZE / 2;
        };
    }

    @Test
    void halfMarksTheNamedHalf() {
        for (int side = 0; side < 4; side++) {
            boolean[] m = KeptViews.half(SIZE, side);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    assertEquals(inHalf(side, x, y), m[y * SIZE + x], "side " + side + " at " + x + "," + y);
                }
            }
        }
    }

    /**
     * The half-leaning mix: 3 in 4 views are a mean-filled half (each side alike), the rest the whole mix, in which
     * a half is 3/6 · 4/7 of the views; so a half view is 3/4 + 1/4 · 2/7 = 0.821 of all, each side 0.205.
     */
    @Test
    void theHalvesMixIsMostlyHalfImagesFromEverySide() {
        float[][] halves = new float[4][];
        for (int side = 0; side < 4; side++) {
            halves[side] = halfView(side);
        }
        RandomStream r = new RandomStream(11);
        int draws = 4000;
        int[] seen = new int[4];
        for (int d = 0; d < draws; d++) {
            float[] v = image();
            KeptViews.augmentHalves(v, 0, 1, SIZE, r);
            for (int side = 0; side < 4; side++) {
                if (Arrays.equals(v, halves[side])) {
                    seen[side]++;
                }
            }
        }
        int all = Arrays.stream(seen).sum();
        assertEquals(0.821, (double) all / draws, 0.02, "share of half views");
        for (int side = 0; side < 4; side++) {
            assertEquals(0.205, (double) seen[side] / draws, 0.025, "share of side " + side);
        }
    }

    /** The old mix is unchanged by the refactoring that shares {@code half}: a half is 2/7 of the views. */
    @Test
    void theWholeMixShowsAHalfInTwoOfSevenViews() {
        RandomStream r = new RandomStream(5);
        int draws = 4000;
        int halves = 0;
        for (int d = 0; d < draws; d++) {
            float[] v = image();
            KeptViews.augment(v, 0, 1, SIZE, r);
            for (int side = 0; side < 4; side++) {
                halves += Arrays.equals(v, halfView(side)) ? 1 : 0;
            }
        }
        assertEquals(2.0 / 7, (double) halves / draws, 0.02);
    }
}
