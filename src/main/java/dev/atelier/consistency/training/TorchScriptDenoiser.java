package dev.atelier.consistency.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.atelier.AtelierException;
import dev.atelier.base.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CD teacher loaded from a TorchScript EDM denoiser: a directory with manifest.json ({@code "kind":
 * "denoiser"}, {@code "weights": "x.pt"}, optional {@code "classes"}) and a TorchScript file whose
 * {@code forward(x, sigma[, y])} takes x float32 [B,C,H,W] in [−1, 1], σ float32 [B] (and y int64 [B] for
 * class-conditional teachers) and returns D(x; σ) with EDM's preconditioning inside.
 */
public final class TorchScriptDenoiser implements Denoiser {
    private final Model model;
    private final boolean conditional;

    private TorchScriptDenoiser(Model model, boolean conditional) {
        this.model = model;
        this.conditional = conditional;
    }

    /**
     * @param dir the teacher's directory
     * @throws AtelierException when it is not a TorchScript denoiser directory
     */
    public static TorchScriptDenoiser load(Path dir, Device device) {
        ModelManifest m = ModelManifest.read(dir);
        if (!"denoiser".equals(m.kind)) {
            throw AtelierException.field("teacher", "The teacher in " + dir + " is a \"" + m.kind + "\" model; {teacher} needs an "
                    + "EDM denoiser (manifest \"kind\": \"denoiser\"). See docs/MODELS.md.");
        }
        if (m.weights == null) {
            throw new AtelierException("The teacher's manifest in " + dir + " has no \"weights\". Put the TorchScript "
                    + "file next to manifest.json and name it in \"weights\".");
        }
        Path file = m.weightsIn(dir, m.weights);
        Model model = Model.newInstance("teacher", device, "PyTorch");
        try {
            model.load(dir, file.getFileName().toString().replaceFirst("\\.pt$", ""));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new AtelierException("The teacher " + file + " could not be loaded as TorchScript (" + e.getMessage()
                    + "). Export it with torch.jit.script or torch.jit.trace and torch.jit.save.", e);
        }
        return new TorchScriptDenoiser(model, m.classes != null && !m.classes.isEmpty());
    }

    @Override
    public NDArray denoise(NDArray x, float[] sigma, int[] labels) {
        NDManager mgr = x.getManager();
        NDList in = new NDList(x, mgr.create(sigma));
        if (conditional) {
            long[] y = new long[sigma.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels == null || labels[i] < 0 ? 0 : labels[i];
            }
            in.add(mgr.create(y).toType(DataType.INT64, false));
        }
        NDArray out = model.getBlock().forward(new ParameterStore(mgr, false), in, false).singletonOrThrow();
        out.attach(mgr);
        return out.stopGradient();
    }

    @Override
    public void close() {
        model.close();
    }
}
