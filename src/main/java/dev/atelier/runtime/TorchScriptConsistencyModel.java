package dev.atelier.runtime;

import dev.atelier.base.ModelFileKind;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.atelier.AtelierException;
import dev.atelier.consistency.ConsistencyModel;
import dev.atelier.consistency.Parameterization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A TorchScript consistency model run by DJL's PyTorch engine (docs/FORMATS.md): {@code forward(x, t[, y])}
 * with x float32 [B,C,H,W] in [−1, 1], t float32 [B], y int64 [B] for class-conditional models. With the
 * scalings inside, t = σ and the output is f(x, σ). With them outside, the network gets c_in(σ)·x and
 * c_noise(σ) (the manifest's convention) and returns F; f = c_skip·x + c_out·F is applied here.
 * Use from the inference lane's thread only; every call works in its own NDManager.
 */
public final class TorchScriptConsistencyModel implements ConsistencyModel {
    private final Model model;
    private final int size;
    private final int channels;
    private final int numClasses;
    private final Parameterization parameterization;
    private final boolean scalingsInside;
    private final boolean nullClass;

    private TorchScriptConsistencyModel(Model model, int size, int channels, int numClasses, Parameterization p,
            boolean scalingsInside, boolean nullClass) {
        this.model = model;
        this.size = size;
        this.channels = channels;
        this.numClasses = numClasses;
        this.parameterization = p;
        this.scalingsInside = scalingsInside;
        this.nullClass = nullClass;
    }

    /**
     * Loads a TorchScript file that {@link ModelFileKind} has recognised as TorchScript.
     *
     * @param file the TorchScript archive
     * @param scalingsInside whether forward() applies the consistency scalings itself
     * @param nullClass whether label {@code numClasses} means "no class" (the manifest's {@code null_class})
     * @param device where to run (the file is mapped there)
     */
    public static TorchScriptConsistencyModel open(Path file, int size, int channels, int numClasses,
            Parameterization p, boolean scalingsInside, boolean nullClass, Device device) {
        Model model = Model.newInstance(file.getFileName().toString(), device, "PyTorch");
        try {
            model.load(file, null, Map.of("mapLocation", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new AtelierException("libtorch could not load the TorchScript file " + file + " ("
                    + AtelierException.reason(e) + "). Export it again with torch.jit.trace(...).save(...) from "
                    + "PyTorch 1.13 or newer (see docs/MODELS.md).", e);
        }
        return new TorchScriptConsistencyModel(model, size, channels, numClasses, p, scalingsInside, nullClass);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** Label {@link #NO_CLASS} is passed to the network as {@code numClasses}, its "no class" label. */
    @Override
    public boolean hasNullClass() {
        return nullClass && numClasses > 0;
    }

    @Override
    public Parameterization parameterization() {
        return parameterization;
    }

    @Override
    public float[] denoise(float[] x, float[] sigma, int[] labels) {
        int batch = sigma.length;
        int n = channels * size * size;
        if (x.length != batch * n) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected " + batch * n);
        }
        float[] in = x;
        float[] t = sigma;
        if (!scalingsInside) {
            in = new float[x.length];
            t = new float[batch];
            for (int b = 0; b < batch; b++) {
                float cIn = (float) parameterization.cIn(sigma[b]);
                for (int i = 0; i < n; i++) {
                    in[b * n + i] = cIn * x[b * n + i];
                }
                t[b] = (float) parameterization.cNoise(sigma[b]);
            }
        }
        float[] out;
        try (NDManager nd = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(nd.create(in, new Shape(batch, channels, size, size)), nd.create(t));
            if (numClasses > 0) {
                if (labels == null || labels.length != batch) {
                    throw new IllegalArgumentException("a class-conditional model needs one label per image");
                }
                long[] y = new long[batch];
                for (int b = 0; b < batch; b++) {
                    y[b] = labels[b] == NO_CLASS && nullClass ? numClasses : labels[b];
                }
                inputs.add(nd.create(y));
            }
            NDList result = model.getBlock().forward(new ParameterStore(nd, false), inputs, false);
            NDArray o = result.get(0);
            Shape expected = new Shape(batch, channels, size, size);
            if (result.size() != 1 || !o.getShape().equals(expected)) {
                throw new AtelierException("The model returned " + (result.size() == 1 ? "a tensor of shape "
                        + o.getShape() : result.size() + " tensors") + " for an input of shape " + expected
                        + "; a consistency model must return one tensor of the input's shape. Check the manifest's "
                        + "image size and channels, or export the model again (see docs/MODELS.md).");
            }
            out = o.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        }
        if (!scalingsInside) {
            for (int b = 0; b < batch; b++) {
                double cSkip = parameterization.cSkip(sigma[b]);
                double cOut = parameterization.cOut(sigma[b]);
                for (int i = 0; i < n; i++) {
                    int j = b * n + i;
                    out[j] = (float) (cSkip * x[j] + cOut * out[j]);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "TorchScript " + channels + "×" + size + "×" + size + (numClasses > 0 ? ", " + numClasses
                + " classes" : "") + ", scalings " + (scalingsInside ? "inside" : "outside") + " "
                + Arrays.asList(parameterization.noise().manifestName());
    }
}
