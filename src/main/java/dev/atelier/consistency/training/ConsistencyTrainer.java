package dev.atelier.consistency.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.atelier.AtelierException;
import dev.atelier.consistency.KarrasGrid;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.network.ConsistencyNetwork;
import dev.atelier.consistency.network.UNetConsistencyModel;
import dev.atelier.train.AdamW;
import dev.atelier.train.Checkpoint;
import dev.atelier.train.Ema;
import dev.atelier.train.RandomStream;
import dev.atelier.train.StepGuard;
import java.util.Arrays;

/**
 * One consistency-training run over a {@link BatchSource}: CT (Algorithm 3), iCT (the default) or CD
 * (Algorithm 2). Per step: a batch x₀, a grid index n per example, one noise z shared by both ends, the
 * student f_θ(x₀ + σ_{n+1}z, σ_{n+1}) against a target without gradient evaluated at σ_n — on
 * x₀ + σ_n z (CT, iCT) or on one Euler/Heun step of the teacher's probability-flow ODE (CD) — by the
 * stop-gradient student (iCT) or the EMA target θ⁻ (CT, CD). Then an {@link AdamW} update and the EMA.
 * All randomness comes from Java-side {@link RandomStream}s, so a resumed run repeats an uninterrupted one
 * bit for bit on the same machine. Call from one thread (the one that owns the networks).
 */
public final class ConsistencyTrainer implements AutoCloseable {
    private final TrainConfig cfg;
    private final Parameterization param;
    private final ConsistencyNetwork online;
    private final ConsistencyNetwork ema;
    private final BatchSource data;
    private final Denoiser teacher;
    private final NDManager manager;
    private final AdamW adam;
    private final RandomStream noiseRng;
    private final RandomStream indexRng;
    private final RandomStream dropRng;
    private final long[] batchShape;
    private long step;
    private double lastLoss = Double.NaN;
    private final StepGuard guard = new StepGuard("Lower the learning rate ({lr}) and resume from the last "
            + "checkpoint.");
    private long teacherNanos;
    private long studentNanos;
    private long stepNanos;
    private long timedSteps;

    /**
     * @param online the trained network θ (its parameters get gradients)
     * @param ema the EMA network: the evaluation copy (iCT) or the target θ⁻ (CT, CD)
     * @param fresh true for a new run: the EMA starts as a copy of θ; false when the caller restored both
     * @param teacher the CD teacher, or null for CT and iCT
     */
    public ConsistencyTrainer(TrainConfig cfg, Parameterization param, ConsistencyNetwork online,
                              ConsistencyNetwork ema, BatchSource data, Denoiser teacher, NDManager parent,
                              boolean fresh) {
        if (cfg.recipe() == Recipe.CD && teacher == null) {
            throw AtelierException.field("teacher", "Consistency distillation ({recipe} cd) needs a teacher denoiser. "
                    + "Pass {teacher} with a TorchScript EDM denoiser directory, or use {recipe} ict.");
        }
        this.cfg = cfg;
        this.param = param;
        this.online = online;
        this.ema = ema;
        this.data = data;
        this.teacher = teacher;
        this.manager = parent.newSubManager();
        this.adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0.0);
        this.noiseRng = new RandomStream(cfg.seed() ^ 0x6E6F697365L);
        this.indexRng = new RandomStream(cfg.seed() ^ 0x696E646578L);
        this.dropRng = new RandomStream(cfg.seed() ^ 0x64726F70L);
        long[] ex = data.exampleShape();
        batchShape = new long[ex.length + 1];
        batchShape[0] = cfg.batch();
        System.arraycopy(ex, 0, batchShape, 1, ex.length);
        online.setRequiresGradient(true);
        ema.setRequiresGradient(false);
        if (fresh) {
            Ema.copy(ema.parameters(), online.parameters());
        }
    }

    /** @return steps done */
    public long step() {
        return step;
    }

    /** @return the configuration */
    public TrainConfig config() {
        return cfg;
    }

    /** @return the loss of the last step */
    public double lastLoss() {
        return lastLoss;
    }

    /** @return the grid size N used at step k */
    public int gridSize(long k) {
        return switch (cfg.recipe()) {
            case ICT -> Schedules.ictN(k, cfg.totalSteps(), cfg.s0(), cfg.s1());
            case CT -> Schedules.ctN(k, cfg.totalSteps(), cfg.s0(), cfg.s1());
            case CD -> cfg.cdSteps();
        };
    }

    /** @return seconds per step spent in the target forward, the student forward+backward, and the whole step */
    public double[] meanTimings() {
        double n = Math.max(1, timedSteps);
        return new double[] {teacherNanos / n / 1e9, studentNanos / n / 1e9, stepNanos / n / 1e9};
    }

    /** Forgets the measured timings (e.g. after warm-up). */
    public void resetTimings() {
        teacherNanos = 0;
        studentNanos = 0;
        stepNanos = 0;
        timedSteps = 0;
    }

    /**
     * Runs one training step.
     *
     * @return the step's loss; NaN if the step was skipped because the loss or a gradient was not finite
     *     ({@link StepGuard})
     */
    public double trainStep() {
        long t0 = System.nanoTime();
        int b = cfg.batch();
        int d = data.exampleSize();
        float[] x0 = new float[b * d];
        int[] labels = new int[b];
        data.next(x0, labels);
        boolean conditional = data.numClasses() > 0;
        if (conditional) {
            for (int i = 0; i < b; i++) {
                if (dropRng.nextDouble() < cfg.classDropout()) {
                    labels[i] = -1;
                }
            }
        }
        int n = gridSize(step);
        double[] grid = KarrasGrid.ascending(n, param);
        double[] cdf = cfg.recipe() == Recipe.ICT ? Schedules.lognormalCdf(grid, cfg.pMean(), cfg.pStd()) : null;
        float[] lo = new float[b];
        float[] hi = new float[b];
        float[] weight = new float[b];
        for (int i = 0; i < b; i++) {
            int idx = cdf != null ? Schedules.pick(cdf, indexRng.nextDouble()) : indexRng.nextInt(n - 1);
            lo[i] = (float) grid[idx];
            hi[i] = (float) grid[idx + 1];
            weight[i] = cdf != null ? (float) (1.0 / (grid[idx + 1] - grid[idx])) : 1f;
        }
        float[] z = new float[b * d];
        noiseRng.fillGaussian(z);
        float[] xHi = new float[b * d];
        float[] xLo = cfg.recipe() == Recipe.CD ? null : new float[b * d];
        for (int i = 0; i < b; i++) {
            for (int j = i * d; j < (i + 1) * d; j++) {
                xHi[j] = x0[j] + hi[i] * z[j];
                if (xLo != null) {
                    xLo[j] = x0[j] + lo[i] * z[j];
                }
            }
        }
        int[] y = conditional ? labels : null;
        Shape shape = new Shape(batchShape);
        long t1;
        long t2;
        long t3;
        try (NDManager sm = manager.newSubManager()) {
            NDArray hiArr = sm.create(xHi, shape);
            NDArray loArr = xLo != null ? sm.create(xLo, shape) : odeStep(hiArr, hi, lo, y);
            ConsistencyNetwork target = cfg.recipe() == Recipe.ICT ? online : ema;
            t1 = System.nanoTime();
            NDArray tgt = UNetConsistencyModel.apply(target, param, loArr, lo, y).stopGradient();
            t2 = System.nanoTime();
            try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                NDArray f = UNetConsistencyModel.apply(online, param, hiArr, hi, y);
                NDArray loss = distance(f, tgt, d).mul(sm.create(weight)).mean();
                gc.backward(loss);
                lastLoss = loss.getFloat();
            }
            t3 = System.nanoTime();
        }
        if (guard.admit(step + 1, lastLoss, online.parameters().values())) {
            adam.update(online.parameters(), learningRate(step));
            double decay = cfg.recipe() == Recipe.CT ? Schedules.ctMu(n, cfg.s0(), cfg.mu0()) : cfg.emaDecay();
            Ema.update(ema.parameters(), online.parameters(), decay);
        } else {
            lastLoss = Double.NaN;
        }
        step++;
        long t4 = System.nanoTime();
        teacherNanos += t2 - t1;
        studentNanos += t3 - t2;
        stepNanos += t4 - t0;
        timedSteps++;
        return lastLoss;
    }

    /** @return the learning rate at step k (linear warm-up, then constant) */
    public double learningRate(long k) {
        return cfg.warmup() > 0 && k < cfg.warmup() ? cfg.lr() * (k + 1) / cfg.warmup() : cfg.lr();
    }

    /** Per-example distance d(f, target), shape (B). */
    private NDArray distance(NDArray f, NDArray target, int d) {
        NDArray diff = f.sub(target);
        int[] axes = new int[diff.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        switch (cfg.metric()) {
            case "l1":
                return diff.abs().sum(axes).div(d);
            case "l2":
                return diff.square().sum(axes).div(d);
            case "huber": {
                double c = cfg.huberC() > 0 ? cfg.huberC() : 0.00054 * Math.sqrt(d);
                return diff.square().sum(axes).add(c * c).sqrt().sub(c);
            }
            default:
                throw new AtelierException("Unknown metric \"" + cfg.metric() + "\". Use huber, l2 or l1 (LPIPS "
                        + "needs pretrained VGG weights and is not available offline).");
        }
    }

    /** One Euler or Heun step of the teacher's PF-ODE dx/dσ = (x − D(x, σ))/σ from σ_hi down to σ_lo. */
    private NDArray odeStep(NDArray x, float[] hi, float[] lo, int[] labels) {
        NDManager m = x.getManager();
        Shape col = colShape(hi.length);
        float[] h = new float[hi.length];
        float[] invHi = new float[hi.length];
        for (int i = 0; i < hi.length; i++) {
            h[i] = lo[i] - hi[i];
            invHi[i] = 1f / hi[i];
        }
        NDArray hArr = m.create(h, col);
        NDArray d1 = x.sub(teacher.denoise(x, hi, labels)).mul(m.create(invHi, col));
        NDArray euler = x.add(d1.mul(hArr));
        if (!cfg.heun()) {
            return euler;
        }
        float[] invLo = new float[lo.length];
        for (int i = 0; i < lo.length; i++) {
            invLo[i] = 1f / lo[i];
        }
        NDArray d2 = euler.sub(teacher.denoise(euler, lo, labels)).mul(m.create(invLo, col));
        return x.add(d1.add(d2).mul(hArr.mul(0.5)));
    }

    private Shape colShape(int b) {
        long[] dims = new long[batchShape.length];
        Arrays.fill(dims, 1);
        dims[0] = b;
        return new Shape(dims);
    }

    /**
     * Saves everything needed to resume: the step, the configuration, θ ({@code online/…}), the EMA
     * ({@code ema/…}), Adam's moments, and the random streams (including the data's).
     */
    public void save(Checkpoint c) {
        c.header().put("step", step);
        c.header().set("train", cfg.toJson());
        c.putRandom("noise", noiseRng);
        c.putRandom("index", indexRng);
        c.putRandom("drop", dropRng);
        data.save(c);
        c.putAll("online/", online.parameters());
        c.putAll("ema/", ema.parameters());
        adam.save(c, "adam");
    }

    /**
     * Restores the step, Adam and the random streams. The caller builds the two networks from the
     * checkpoint's {@code online/} and {@code ema/} tensors before constructing this trainer.
     */
    public void restore(Checkpoint c) {
        step = c.header().path("step").asLong();
        c.restoreRandom("noise", noiseRng);
        c.restoreRandom("index", indexRng);
        c.restoreRandom("drop", dropRng);
        data.restore(c);
        adam.restore(c, "adam");
    }

    @Override
    public void close() {
        adam.close();
        manager.close();
    }
}
