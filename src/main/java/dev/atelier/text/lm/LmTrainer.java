package dev.atelier.text.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.base.AtomicFiles;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.StepGuard;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Trains a {@link Gpt} on a token stream: random windows of context+1 tokens, Adam (DJL's fused update),
 * linear warm-up then cosine decay to a tenth of the peak rate over the planned steps.
 *
 * <p>The checkpoint is one file, written atomically: weights in float32, and Adam's moments in float16 (the
 * second moment as its square root, whose range float16 holds) — half the size of float32 moments, which
 * keeps the checkpoint of the shipped model under the 30 MB a repository file may have. Data order depends
 * only on the seed and the step number, so a resumed run sees the same batches it would have seen.
 */
public final class LmTrainer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.99f;
    private static final float EPS = 1e-8f;

    /** Training settings. */
    public record Options(int batch, long steps, float lr, int warmup, long seed, float dropout) {
    }

    /** What the caller sees while training runs. */
    public interface Listener {
        /** After every step; {@code loss} is NaN for a step {@link StepGuard} skipped. */
        void step(long step, double loss, double lr, double tokensPerSecond);

        /**
         * After each checkpoint was written; the network holds the weights of step {@code step}.
         *
         * @param model the network (valid only during the call)
         */
        void checkpoint(long step, Gpt model) throws IOException;
    }

    private final Gpt.Config config;
    private final Options options;
    private final int[] tokens;

    /**
     * @param tokens the training token stream (sentences with their end-of-sequence ids)
     */
    public LmTrainer(Gpt.Config config, Options options, int[] tokens) {
        if (tokens.length < config.context() + 2) {
            throw AtelierException.field("context", "The training data has only " + tokens.length + " tokens, fewer than one "
                    + "window of context " + config.context() + ". Give a larger corpus or a smaller {context}.");
        }
        this.config = config;
        this.options = options;
        this.tokens = tokens;
    }

    /** @return the learning rate at a step (1-based) */
    public double learningRate(long step) {
        if (step <= options.warmup) {
            return options.lr * step / Math.max(1, options.warmup);
        }
        double progress = Math.min(1.0, (double) (step - options.warmup) / Math.max(1, options.steps - options.warmup));
        return options.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    /** @return the training windows of a step, int64 {@code [batch, context+1]}, from a stream seeded by the step */
    long[] batch(long step) {
        int w = config.context() + 1;
        long[] out = new long[options.batch * w];
        SplittableRandom rng = new SplittableRandom(options.seed * 1_000_003L + step);
        for (int b = 0; b < options.batch; b++) {
            int start = rng.nextInt(tokens.length - w + 1);
            for (int i = 0; i < w; i++) {
                out[b * w + i] = tokens[start + i];
            }
        }
        return out;
    }

    /**
     * Trains until {@code options.steps} or until {@code stop} says so, checkpointing every
     * {@code checkpointSeconds} and at the end.
     *
     * @param checkpoint the checkpoint file; read first if {@code resume}
     * @return the last step done
     */
    public long run(NDManager manager, Path checkpoint, boolean resume, double checkpointSeconds,
                    Listener listener, BooleanSupplier stop) throws IOException {
        try (NDManager m = manager.newSubManager()) {
            Gpt model;
            Map<String, NDArray> mean = new LinkedHashMap<>();
            Map<String, NDArray> var = new LinkedHashMap<>();
            long step = 0;
            if (resume) {
                State s = readCheckpoint(checkpoint, config, m);
                model = s.model;
                mean = s.mean;
                var = s.var;
                step = s.step;
            } else {
                model = Gpt.initialise(config, m, options.seed);
                for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                    mean.put(e.getKey(), m.zeros(e.getValue().getShape()));
                    var.put(e.getKey(), m.zeros(e.getValue().getShape()));
                }
            }
            // dropout masks come from the engine's generator: seed it per run and step count
            Engine.getEngine("PyTorch").setRandomSeed((int) (options.seed * 7919 + step));
            try (Gpt net = model) {
                net.enableGradients();
                Shape shape = new Shape(options.batch, config.context() + 1);
                long lastSave = System.nanoTime();
                long t0 = System.nanoTime();
                long tokensDone = 0;
                StepGuard guard = new StepGuard("Lower {lr} and resume from the last checkpoint.");
                while (step < options.steps && !stop.getAsBoolean()) {
                    step++;
                    double loss;
                    try (NDManager sm = m.newSubManager()) {
                        NDArray window = sm.create(batch(step), shape);
                        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                            NDArray l = net.loss(window, options.dropout);
                            gc.backward(l);
                            loss = l.getFloat();
                        }
                        if (!guard.admit(step, loss, net.parameters().values())) {
                            loss = Double.NaN;
                        } else {
                            update(net, mean, var, step);
                        }
                    }
                    tokensDone += (long) options.batch * config.context();
                    double secs = (System.nanoTime() - t0) / 1e9;
                    listener.step(step, loss, learningRate(step), tokensDone / Math.max(secs, 1e-9));
                    if ((System.nanoTime() - lastSave) / 1e9 >= checkpointSeconds) {
                        save(checkpoint, net, mean, var, step);
                        listener.checkpoint(step, net);
                        lastSave = System.nanoTime();
                    }
                }
                save(checkpoint, net, mean, var, step);
                listener.checkpoint(step, net);
                return step;
            }
        }
    }

    /** One Adam step from the gradients of step {@code step} (the native update also clears them). */
    private void update(Gpt net, Map<String, NDArray> mean, Map<String, NDArray> var, long step) {
        float lr = (float) learningRate(step);
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
        for (Map.Entry<String, NDArray> e : net.parameters().entrySet()) {
            NDArray w = e.getValue();
            try (NDArray g = w.getGradient()) {
                w.getNDArrayInternal().adamUpdate(
                        new NDList(w, g, mean.get(e.getKey()), var.get(e.getKey())), new NDList(w),
                        lr, corrected, 0f, 1f, -1f, BETA1, BETA2, EPS, true, false);
            }
        }
    }

    /** A network with its optimiser state, as read from a checkpoint. */
    record State(Gpt model, Map<String, NDArray> mean, Map<String, NDArray> var, long step, ObjectNode meta) {
    }

    private void save(Path file, Gpt net, Map<String, NDArray> mean, Map<String, NDArray> var, long step)
            throws IOException {
        try (NDManager sm = net.parameters().values().iterator().next().getManager().newSubManager()) {
            NDList list = new NDList();
            ObjectNode meta = ModelManifest.JSON.createObjectNode();
            meta.put("format", "atelier-lm-checkpoint/1");
            meta.put("step", step);
            meta.set("architecture", config.toJson());
            meta.put("batch", options.batch);
            meta.put("steps", options.steps);
            meta.put("lr", options.lr);
            meta.put("warmup", options.warmup);
            meta.put("seed", options.seed);
            meta.put("dropout", options.dropout);
            NDArray metaArray = sm.create(ModelManifest.JSON.writeValueAsString(meta).getBytes(StandardCharsets.UTF_8));
            metaArray.setName("meta");
            list.add(metaArray);
            for (Map.Entry<String, NDArray> e : net.parameters().entrySet()) {
                String k = e.getKey();
                list.add(e.getValue());
                NDArray m16 = mean.get(k).toType(DataType.FLOAT16, true);
                m16.attach(sm);
                m16.setName("adam.m." + k);
                NDArray s16 = var.get(k).sqrt().toType(DataType.FLOAT16, false);
                s16.attach(sm);
                s16.setName("adam.sqrtv." + k);
                list.add(m16);
                list.add(s16);
            }
            AtomicFiles.write(file, list::encode);
        }
    }

    /**
     * Reads a checkpoint written by this trainer.
     *
     * @throws AtelierException if it is missing, unreadable, or of another architecture
     */
    static State readCheckpoint(Path file, Gpt.Config expected, NDManager m) {
        if (!Files.isRegularFile(file)) {
            throw AtelierException.field("resume", "No checkpoint at " + file + " to resume from. Start without "
                    + "{resume}, or pass {checkpoint} with the file a previous run wrote.");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList list = NDList.decode(m, in);
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : list) {
                byName.put(a.getName(), a);
            }
            NDArray metaArray = byName.get("meta");
            if (metaArray == null) {
                throw AtelierException.field("checkpoint", "The file " + file + " is not a language-model checkpoint written by "
                        + "atelier train-lm. Pass the right {checkpoint} or start without {resume}.");
            }
            ObjectNode meta = (ObjectNode) ModelManifest.JSON.readTree(metaArray.toByteArray());
            Gpt.Config c = Gpt.Config.fromJson((ObjectNode) meta.get("architecture"));
            if (expected != null && !c.equals(expected)) {
                throw AtelierException.field("dim", "The checkpoint " + file + " is of shape " + c + " but " + expected
                        + " was asked for. Resume with the same {dim}/{layers}/{heads}/{context}/{vocab}, or start "
                        + "a new run with another {checkpoint}.");
            }
            Gpt model = Gpt.fromArrays(c, m, byName, file);
            Map<String, NDArray> mean = new LinkedHashMap<>();
            Map<String, NDArray> var = new LinkedHashMap<>();
            for (String k : model.parameters().keySet()) {
                mean.put(k, byName.get("adam.m." + k).toType(DataType.FLOAT32, false));
                NDArray s = byName.get("adam.sqrtv." + k).toType(DataType.FLOAT32, false);
                var.put(k, s.mul(s));
            }
            return new State(model, mean, var, meta.path("step").asLong(), meta);
        } catch (IOException | RuntimeException e) {
            if (e instanceof AtelierException ae) {
                throw ae;
            }
            throw AtelierException.field("resume", "The checkpoint " + file + " cannot be read (" + AtelierException.reason(e) + "). Start "
                    + "a new run without {resume}, or restore the file.", e);
        }
    }

    /**
     * What a checkpoint holds besides the arrays: the network's shape, the step it was taken at, and its header
     * (the run's settings: batch, steps, lr, warmup, seed, dropout; checkpoints written before session 7 lack
     * steps, lr and warmup).
     */
    public record Info(Gpt.Config config, long step, ObjectNode meta) {
    }

    /** @return the shape, step and settings of a checkpoint, for resuming without repeating the flags */
    public static Info checkpointInfo(Path file, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            State s = readCheckpoint(file, null, m);
            s.model.close();
            return new Info(s.model.config(), s.step, s.meta);
        }
    }
}
