package dev.atelier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.atelier.base.Engines;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), written over DJL NDArrays so that its moments
 * and step count can be saved in a {@link Checkpoint} and restored (DJL's own Adam hides them). Per
 * parameter p with gradient g, at step t = 1, 2, …:
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p·(1 − lr·wd) − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + eps).
 * The gradients are read from the parameters and set to zero afterwards. Model-agnostic: it only sees a
 * name → parameter map.
 */
public final class AdamW implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private long step;

    /**
     * @param parent the manager whose sub-manager holds the moments
     * @param beta1 β1, e.g. 0.9
     * @param beta2 β2, e.g. 0.999
     * @param eps added to the root of the second moment, e.g. 1e-8
     * @param weightDecay decoupled decay per unit learning rate, 0 for plain Adam
     */
    public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
        this.manager = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** @return the number of updates made so far */
    public long step() {
        return step;
    }

    /**
     * Updates every parameter from its gradient and zeroes the gradients. Parameters without a gradient
     * (e.g. unused this step) are skipped. Call outside a GradientCollector.
     *
     * @param params name → parameter (the same names every call)
     * @param lr the learning rate for this step
     */
    public void update(Map<String, NDArray> params, double lr) {
        Engines.withoutGradients(() -> apply(params, lr));
    }

    private void apply(Map<String, NDArray> params, double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            if (!p.hasGradient()) {
                continue;
            }
            NDArray mi = m.computeIfAbsent(e.getKey(), k -> manager.zeros(p.getShape(), p.getDataType()));
            NDArray vi = v.computeIfAbsent(e.getKey(), k -> manager.zeros(p.getShape(), p.getDataType()));
            // every temporary is closed right away: they would otherwise pile up in the moments' manager
            try (NDArray g = p.getGradient()) {
                try (NDArray t = g.mul(1 - beta1)) {
                    mi.muli(beta1).addi(t);
                }
                try (NDArray t = g.square()) {
                    vi.muli(beta2).addi(t.muli(1 - beta2));
                }
                try (NDArray den = vi.sqrt()) {
                    den.muli(1 / Math.sqrt(bc2)).addi(eps);
                    try (NDArray upd = mi.div(den)) {
                        if (weightDecay != 0) {
                            p.muli(1 - lr * weightDecay);
                        }
                        p.subi(upd.muli(lr / bc1));
                    }
                }
                g.muli(0);
            }
        }
    }

    /** Saves the step count (header {@code PREFIX.step}) and the moments (tensors PREFIX.m/…, PREFIX.v/…). */
    public void save(Checkpoint c, String prefix) {
        c.header().put(prefix + ".step", step);
        c.putAll(prefix + ".m/", m);
        c.putAll(prefix + ".v/", v);
    }

    /** Restores what {@link #save(Checkpoint, String)} wrote, replacing the current state. */
    public void restore(Checkpoint c, String prefix) {
        m.values().forEach(NDArray::close);
        v.values().forEach(NDArray::close);
        m.clear();
        v.clear();
        step = c.header().path(prefix + ".step").asLong(0);
        c.group(prefix + ".m/").forEach((k, t) -> m.put(k, t.toNDArray(manager)));
        c.group(prefix + ".v/").forEach((k, t) -> v.put(k, t.toNDArray(manager)));
    }

    @Override
    public void close() {
        manager.close();
    }
}
