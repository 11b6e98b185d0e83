package dev.atelier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue #16, class 2: the stated bounds hold for any input, including products that overflow a long. */
class LimitsTest {
    @Test
    void aBatchIsAcceptedExactlyWhenItsValuesFitTheBound() {
        Random r = new Random(16);
        BigInteger max = BigInteger.valueOf(Limits.MAX_BATCH_VALUES);
        for (int trial = 0; trial < 5000; trial++) {
            long images = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(1 << r.nextInt(31));
            long values = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(1 << r.nextInt(31));
            boolean fits = images >= 0 && values > 0
                    && BigInteger.valueOf(images).multiply(BigInteger.valueOf(values)).compareTo(max) <= 0;
            boolean accepted;
            try {
                Limits.checkBatch(images, values, "a batch");
                accepted = true;
            } catch (AtelierException e) {
                accepted = false;
            }
            assertEquals(fits, accepted, images + " × " + values);
        }
    }

    @Test
    void threadCountsOutsideTheStatedRangeAreRefused() {
        int max = Limits.maxThreads();
        assertEquals(2 * Runtime.getRuntime().availableProcessors(), max);
        for (int t : new int[] {0, -1, max + 1, 1025, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertEquals("threads", assertThrows(AtelierException.class, () -> Limits.checkThreads(t)).field());
        }
        for (int t = 1; t <= max; t++) {
            assertEquals(t, Limits.checkThreads(t));
        }
    }
}
