package dev.atelier.consistency.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.atelier.consistency.network.ConsistencyNetwork;
import dev.atelier.train.Checkpoint;
import dev.atelier.train.RandomStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tiny MLP F(x, c_noise) for toy consistency problems: [x, Fourier(c_noise)] → H → H → D. */
final class Mlp implements ConsistencyNetwork {
    private static final int FEATURES = 8;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();

    private Mlp(NDManager parent) {
        manager = parent.newSubManager();
    }

    static Mlp create(NDManager parent, int dim, int hidden, long seed) {
        Mlp m = new Mlp(parent);
        RandomStream r = new RandomStream(seed);
        m.put("l1", hidden, dim + 2 * FEATURES, r);
        m.put("l2", hidden, hidden, r);
        m.put("l3", hidden, hidden, r);
        m.put("l4", dim, hidden, r);
        return m;
    }

    static Mlp fromTensors(NDManager parent, Map<String, Checkpoint.Tensor> tensors) {
        Mlp m = new Mlp(parent);
        tensors.forEach((k, t) -> m.params.put(k, t.toNDArray(m.manager)));
        return m;
    }

    private void put(String name, int out, int in, RandomStream r) {
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * Math.sqrt(1.0 / in));
        }
        params.put(name + ".w", manager.create(w, new Shape(out, in)));
        params.put(name + ".b", manager.zeros(new Shape(out)));
    }

    @Override
    public Map<String, NDArray> parameters() {
        return params;
    }

    @Override
    public NDArray forward(NDArray x, float[] cNoise, int[] labels) {
        int b = cNoise.length;
        float[] f = new float[b * 2 * FEATURES];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < FEATURES; k++) {
                double a = cNoise[i] * Math.pow(2, k);
                f[i * 2 * FEATURES + k] = (float) Math.cos(a);
                f[i * 2 * FEATURES + FEATURES + k] = (float) Math.sin(a);
            }
        }
        NDArray h = NDArrays.concat(new NDList(x, x.getManager().create(f, new Shape(b, 2 * FEATURES))), 1);
        h = silu(lin(h, "l1"));
        h = silu(lin(h, "l2"));
        h = silu(lin(h, "l3"));
        return lin(h, "l4");
    }

    private NDArray lin(NDArray x, String n) {
        return Linear.linear(x, params.get(n + ".w"), params.get(n + ".b")).singletonOrThrow();
    }

    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    @Override
    public void close() {
        manager.close();
    }
}
