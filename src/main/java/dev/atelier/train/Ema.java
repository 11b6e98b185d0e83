package dev.atelier.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Exponential moving averages of parameters, matched by name (DJL has no EMA helper). */
public final class Ema {
    private Ema() {
    }

    /**
     * target ← decay·target + (1−decay)·source, in place, for every name of {@code target}. Call outside a
     * GradientCollector.
     */
    public static void update(Map<String, NDArray> target, Map<String, NDArray> source, double decay) {
        for (Map.Entry<String, NDArray> e : target.entrySet()) {
            NDArray src = source.get(e.getKey());
            if (src == null) {
                throw new IllegalArgumentException("no source parameter " + e.getKey());
            }
            // the temporary lands in the source's manager; close it at once
            try (NDArray t = src.mul(1 - decay)) {
                e.getValue().muli(decay).addi(t);
            }
        }
    }

    /** target ← source, in place, for every name of {@code target}. */
    public static void copy(Map<String, NDArray> target, Map<String, NDArray> source) {
        update(target, source, 0.0);
    }
}
