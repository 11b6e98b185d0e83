package dev.atelier.consistency.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.AtelierException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue #16, classes 4 and 6: a training configuration out of range cannot be built, whoever builds it. */
class TrainConfigRangeTest {
    static TrainConfig with(double lr, double ema, int batch, long steps, long warmup) {
        TrainConfig d = TrainConfig.ict(10, 8, 1);
        return new TrainConfig(d.recipe(), steps, batch, lr, warmup, d.s0(), d.s1(), d.mu0(), ema, d.pMean(), d.pStd(),
                d.metric(), d.huberC(), d.classDropout(), d.cdSteps(), d.heun(), 1);
    }

    @Test
    void everyOutOfRangeValueNamesItsField() {
        String[][] cases = {{"lr", "NaN"}, {"lr", "-1e-4"}, {"lr", "0"}, {"lr", "Infinity"}, {"ema", "1.5"},
            {"ema", "1"}, {"ema", "-0.1"}, {"batch", "0"}, {"steps", "0"}};
        for (String[] c : cases) {
            double v = Double.parseDouble(c[1]);
            AtelierException e = assertThrows(AtelierException.class, () -> {
                switch (c[0]) {
                    case "lr" -> with(v, 0.999, 8, 10, 0);
                    case "ema" -> with(2e-4, v, 8, 10, 0);
                    case "batch" -> with(2e-4, 0.999, (int) v, 10, 0);
                    default -> with(2e-4, 0.999, 8, (long) v, 0);
                }
            }, c[0] + " " + c[1]);
            assertEquals(c[0], e.field());
        }
        assertEquals("warmup", assertThrows(AtelierException.class, () -> with(2e-4, 0.999, 8, 10, -1)).field());
    }

    @Test
    void randomSettingsAreAcceptedExactlyWhenInRange() {
        // property against an independent statement of the ranges
        Random r = new Random(16);
        for (int trial = 0; trial < 2000; trial++) {
            double lr = r.nextInt(5) == 0 ? -r.nextDouble() : r.nextDouble() * 1.5;
            double ema = r.nextDouble() * 1.4 - 0.2;
            int batch = r.nextInt(6000) - 10;
            boolean ok = lr > 0 && lr < 1 && ema >= 0 && ema < 1 && batch >= 1 && batch <= TrainConfig.MAX_BATCH;
            boolean built;
            try {
                with(lr, ema, batch, 10, 0);
                built = true;
            } catch (AtelierException e) {
                built = false;
            }
            assertEquals(ok, built, "lr " + lr + " ema " + ema + " batch " + batch);
        }
    }
}
