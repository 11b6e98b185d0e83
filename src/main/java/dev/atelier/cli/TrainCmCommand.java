package dev.atelier.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.consistency.Parameterization;
import dev.atelier.consistency.network.UNet;
import dev.atelier.consistency.network.UNetConfig;
import dev.atelier.consistency.network.UNetConsistencyModel;
import dev.atelier.consistency.training.ConsistencyTrainer;
import dev.atelier.consistency.training.Denoiser;
import dev.atelier.consistency.training.ImageBatchSource;
import dev.atelier.consistency.training.ImageData;
import dev.atelier.consistency.training.Recipe;
import dev.atelier.consistency.training.TorchScriptDenoiser;
import dev.atelier.consistency.training.TrainConfig;
import dev.atelier.image.PngImages;
import dev.atelier.base.AtomicFiles;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.Checkpoint;
import dev.atelier.train.ProgressLine;
import dev.atelier.train.RandomStream;
import dev.atelier.train.StepGuard;
import dev.atelier.train.StopSignal;
import dev.atelier.train.TrainingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier train-cm}: trains a consistency model (iCT by default, CT, or CD from a teacher) on IDX files
 * or an image folder, checkpointing every few minutes and on Ctrl+C, and keeping MODEL_DIR a loadable
 * model (EMA weights + manifest) at every checkpoint.
 */
@Command(name = "train-cm", mixinStandardHelpOptions = true,
        description = "Train a consistency model (iCT, CT or CD) on IDX files or an image folder.")
public final class TrainCmCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, description = "IDX image file, a directory with "
            + "train-images-idx3-ubyte(.gz), or an image folder (one subfolder per class for labels).")
    Path data;

    @Option(names = "--out", required = true, description = "Model directory to write (weights + manifest.json).")
    Path out;

    @Option(names = "--steps", required = true, description = "Total training steps K (the curriculum's length).")
    long steps;

    @Option(names = "--batch", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--recipe", defaultValue = "ict", description = "ict (default), ct or cd.")
    String recipe;

    @Option(names = "--teacher", description = "CD teacher: a TorchScript EDM denoiser directory (manifest.json + "
            + ".pt with forward(x, sigma[, y]) → D(x; σ)).")
    Path teacher;

    @Option(names = "--resume", description = "Continue from the checkpoint (weights, EMA, Adam, step, random state).")
    boolean resume;

    @Option(names = "--checkpoint", description = "Checkpoint file (default: MODEL_DIR/checkpoint.ckpt).")
    Path checkpoint;

    @Option(names = "--checkpoint-minutes", defaultValue = "10", description = "Minutes between checkpoints "
            + "(default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--unet", defaultValue = "32-64-64", description = "UNet channels per resolution "
            + "(default: ${DEFAULT-VALUE}).")
    String unet;

    @Option(names = "--blocks", defaultValue = "1", description = "Residual blocks per level (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--attention", defaultValue = "true", negatable = true,
            description = "Self-attention at the lowest resolution (default: ${DEFAULT-VALUE}).")
    boolean attention;

    @Option(names = "--unconditional", description = "Ignore the labels even when the data have them.")
    boolean unconditional;

    @Option(names = "--size", defaultValue = "28", description = "Image side for image folders (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--lr", description = "Learning rate (default: 2e-4).")
    Double lr;

    @Option(names = "--ema", description = "EMA decay of the evaluation copy (iCT) or the CD target.")
    Double ema;

    @Option(names = "--s0", description = "Initial discretisation steps (iCT 10, CT 2).")
    Integer s0;

    @Option(names = "--s1", description = "Final discretisation steps (iCT 1280, CT 150).")
    Integer s1;

    @Option(names = "--metric", description = "huber (iCT default), l2 (CT/CD default) or l1. LPIPS is not "
            + "available offline.")
    String metric;

    @Option(names = "--seed", description = "Seed of initialisation, noise, σ indices and batch order (default: random).")
    Long seed;

    @Option(names = "--session-steps", description = "Stop (with a checkpoint) after this many steps in this run, "
            + "to train in sessions; --resume continues.")
    Long sessionSteps;

    @Option(names = "--name", description = "Model name for the manifest (default: the directory name).")
    String name;

    @Override
    public Integer call() throws Exception {
        Recipe chosen;
        try {
            chosen = Recipe.parse(recipe);
        } catch (AtelierException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // every option range-checked as a usage error before any data loads: the configuration records check
        // their fields (the image size of IDX data is known only later; 256 admits every level count)
        Flags.usage(spec, () -> {
            TrainConfig d = TrainConfig.defaults(chosen, steps, batch, 0);
            return new TrainConfig(d.recipe(), steps, batch, lr != null ? lr : d.lr(), d.warmup(),
                    s0 != null ? s0 : d.s0(), s1 != null ? s1 : d.s1(), d.mu0(), ema != null ? ema : d.emaDecay(),
                    d.pMean(), d.pStd(), metric != null ? metric : d.metric(), d.huberC(), d.classDropout(),
                    d.cdSteps(), d.heun(), 0);
        });
        if (size < 4 || size > dev.atelier.Limits.MAX_IMAGE_SIZE) {
            throw Flags.usageError(spec, "--size " + size + " is out of range: give 4 to "
                    + dev.atelier.Limits.MAX_IMAGE_SIZE + ".");
        }
        if (!(checkpointMinutes > 0) || (sessionSteps != null && sessionSteps < 1)) {
            throw Flags.usageError(spec, "--checkpoint-minutes must be positive and --session-steps at least 1.");
        }
        Flags.usage(spec, () -> UNetConfig.parse(256, 1, unet, blocks, attention, 0));
        common.device();
        Path ckptFile = checkpoint != null ? checkpoint : out.resolve("checkpoint.ckpt");
        Checkpoint resumed = null;
        if (resume) {
            if (!Files.isRegularFile(ckptFile)) {
                throw new AtelierException("--resume was given but there is no checkpoint at " + ckptFile + ". Pass "
                        + "--checkpoint FILE, or leave out --resume to start a new run.");
            }
            resumed = Checkpoint.read(ckptFile);
            AtomicFiles.cleanStale(ckptFile); // temporaries of a run that was killed while writing
            if (!"atelier-train/1".equals(resumed.header().path("format").asText())) {
                throw new AtelierException(ckptFile + " is not a training checkpoint (no \"atelier-train/1\" header): it "
                        + "looks like a model's weights file, which holds no optimizer state or step. Resume from the "
                        + "checkpoint train-cm wrote (by default MODEL_DIR/checkpoint.ckpt), or train afresh.");
            }
        } else if (Files.exists(ckptFile)) {
            throw new AtelierException("A checkpoint already exists at " + ckptFile + ". Add --resume to continue it, "
                    + "or delete it (or pass another --checkpoint) to start afresh.");
        }
        System.err.println("Loading " + data + " …");
        ImageData images = ImageData.load(data, size, 0, true);
        boolean conditional = images.labels() != null && !unconditional;
        ImageData used = conditional ? images : new ImageData(images.pixels(), null, null, images.count(),
                images.channels(), images.size(), images.source());

        TrainConfig cfg;
        UNetConfig arch;
        double secondsBefore = 0;
        if (resumed != null) {
            cfg = TrainConfig.fromJson(resumed.header().get("train")).withTotalSteps(steps);
            arch = UNetConfig.fromJson(resumed.header().get("architecture"));
            checkResumedShape(arch, cfg);
            secondsBefore = resumed.header().path("seconds").asDouble(0);
            if (arch.size() != used.size() || arch.channels() != used.channels()
                    || arch.numClasses() != (conditional ? used.classes().size() : 0)) {
                throw new AtelierException("The checkpoint was trained on " + arch.size() + "×" + arch.size() + "×"
                        + arch.channels() + " images with " + arch.numClasses() + " classes, but --data gives "
                        + used.size() + "×" + used.size() + "×" + used.channels() + ". Resume with the same data.");
            }
        } else {
            long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
            System.err.println("Seed: " + s);
            TrainConfig d = TrainConfig.defaults(chosen, steps, batch, s);
            cfg = new TrainConfig(d.recipe(), steps, batch, lr != null ? lr : d.lr(), d.warmup(),
                    s0 != null ? s0 : d.s0(), s1 != null ? s1 : d.s1(), d.mu0(), ema != null ? ema : d.emaDecay(),
                    d.pMean(), d.pStd(), metric != null ? metric : d.metric(), d.huberC(), d.classDropout(),
                    d.cdSteps(), d.heun(), s);
            arch = UNetConfig.parse(used.size(), used.channels(), unet, blocks, attention,
                    conditional ? used.classes().size() : 0);
        }
        dev.atelier.Limits.checkBatch(cfg.batch(), (long) arch.channels() * arch.size() * arch.size(),
                "A training batch");
        Parameterization param = Parameterization.DEFAULT;
        String commandLine = "atelier " + String.join(" ", spec.commandLine().getParseResult().originalArgs());

        try (NDManager manager = NDManager.newBaseManager(common.device());
             Denoiser teacherNet = cfg.recipe() == Recipe.CD ? TorchScriptDenoiser.load(requireTeacher(), common.device()) : null;
             StopSignal stop = StopSignal.install(120)) {
            UNet online;
            UNet emaNet;
            if (resumed != null) {
                online = UNet.fromTensors(arch, manager, resumed.group("online/"));
                emaNet = UNet.fromTensors(arch, manager, resumed.group("ema/"));
            } else {
                online = UNet.create(arch, manager, new RandomStream(cfg.seed()));
                emaNet = UNet.create(arch, manager, new RandomStream(cfg.seed()));
            }
            ImageBatchSource source = new ImageBatchSource(used, cfg.seed());
            try (ConsistencyTrainer trainer = new ConsistencyTrainer(cfg, param, online, emaNet, source, teacherNet,
                    manager, resumed == null)) {
                if (resumed != null) {
                    trainer.restore(resumed);
                    System.err.println("Resumed at step " + trainer.step() + " from " + ckptFile);
                }
                System.err.printf(Locale.ROOT, "%s: %,d parameters, %.3f GMAC per image; %s, batch %d, %d images%n",
                        arch, online.parameterCount(), online.gmacPerImage(), cfg.recipe(), cfg.batch(), used.count());
                String stem = ckptFile.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                Path dir = ckptFile.toAbsolutePath().getParent();
                TrainingLog log = new TrainingLog(dir.resolve(stem + "-loss.csv"), dir.resolve(stem + "-loss.png"),
                        trainer.step(), "loss", "N");
                ProgressLine progress = new ProgressLine(System.err, trainer.step(), steps, 30);
                long runStart = System.nanoTime();
                long lastSave = runStart;
                double recent = Double.NaN;
                long stopAt = sessionSteps == null ? steps : Math.min(steps, trainer.step() + sessionSteps);
                while (trainer.step() < stopAt && !stop.requested()) {
                    double loss = trainer.trainStep();
                    if (Double.isNaN(loss)) {
                        System.err.println(System.lineSeparator() + StepGuard.skippedNote(trainer.step()));
                    } else {
                        recent = Double.isNaN(recent) ? loss : 0.99 * recent + 0.01 * loss;
                    }
                    log.append(trainer.step(), loss, trainer.gridSize(trainer.step() - 1));
                    progress.update(trainer.step(), String.format(Locale.ROOT, "loss %.4g (avg %.4g) N=%d", loss,
                            recent, trainer.gridSize(trainer.step() - 1)));
                    if ((System.nanoTime() - lastSave) / 6e10 >= checkpointMinutes) {
                        double secs = secondsBefore + (System.nanoTime() - runStart) / 1e9;
                        save(trainer, arch, emaNet, used, ckptFile, log, secs, recent, commandLine, stem, dir);
                        lastSave = System.nanoTime();
                    }
                }
                double secs = secondsBefore + (System.nanoTime() - runStart) / 1e9;
                save(trainer, arch, emaNet, used, ckptFile, log, secs, recent, commandLine, stem, dir);
                System.err.println((stop.requested() ? "Stopped" : "Finished") + " at step " + trainer.step()
                        + "; checkpoint " + ckptFile + ", model " + out);
                stop.finished();
            }
        }
        return 0;
    }

    /**
     * With --resume the network and recipe come from the checkpoint: a flag given with another value would be
     * silently ignored, so it is refused instead.
     */
    private void checkResumedShape(UNetConfig arch, TrainConfig cfg) {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        String widths = arch.toString().replaceFirst("^UNet ", "").replaceFirst(" .*", "");
        java.util.List<String> differ = new java.util.ArrayList<>();
        Object[][] flags = {{"--unet", unet.replace(',', '-'), widths}, {"--blocks", blocks, arch.blocks()},
            {"--attention", attention, arch.attention()}, {"--batch", batch, cfg.batch()},
            {"--recipe", recipe.toLowerCase(Locale.ROOT), cfg.recipe().name().toLowerCase(Locale.ROOT)},
            {"--lr", lr, cfg.lr()}, {"--ema", ema, cfg.emaDecay()}, {"--s0", s0, cfg.s0()}, {"--s1", s1, cfg.s1()},
            {"--metric", metric, cfg.metric()}, {"--seed", seed, cfg.seed()}};
        for (Object[] f : flags) {
            if (pr.hasMatchedOption((String) f[0]) && !String.valueOf(f[1]).equals(String.valueOf(f[2]))) {
                differ.add(f[0] + " " + f[1] + " (the checkpoint has " + f[2] + ")");
            }
        }
        if (!differ.isEmpty()) {
            throw new AtelierException("--resume continues the checkpoint's run, but " + String.join(", ", differ)
                    + " asks for something else. Leave those flags out when resuming, or start a new run with another "
                    + "--checkpoint.");
        }
    }

    private Path requireTeacher() {
        if (teacher == null) {
            throw new AtelierException("--recipe cd needs --teacher DIR: a TorchScript EDM denoiser with a "
                    + "manifest.json (see docs/MODELS.md). Or use --recipe ict, which needs no teacher.");
        }
        return teacher;
    }

    private void save(ConsistencyTrainer trainer, UNetConfig arch, UNet emaNet, ImageData used, Path ckptFile,
                      TrainingLog log, double seconds, double recentLoss, String commandLine, String stem, Path dir)
            throws IOException {
        Checkpoint c = new Checkpoint();
        c.header().put("format", "atelier-train/1");
        c.header().put("kind", "consistency");
        c.header().set("architecture", arch.toJson());
        c.header().put("seconds", seconds);
        c.header().put("data", used.source());
        trainer.save(c);
        c.write(ckptFile);
        writeModel(emaNet, used, trainer.step(), seconds, recentLoss, commandLine);
        // the checkpoint and the model are what matter; a failed plot or preview must not lose them
        try {
            log.plot();
            writePreview(emaNet, arch, dir.resolve(stem + "-preview.png"));
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not draw the loss plot or preview (" + e + "); training state is saved.");
        }
    }

    private void writeModel(UNet emaNet, ImageData used, long step, double seconds, double recentLoss,
                            String commandLine) throws IOException {
        ModelManifest m;
        if (Files.isRegularFile(out.resolve(ModelManifest.FILE))) {
            m = ModelManifest.read(out);
        } else {
            m = new ModelManifest();
        }
        m.name = name != null ? name : (m.name != null ? m.name : out.toAbsolutePath().getFileName().toString());
        m.licence = used.source().toLowerCase(Locale.ROOT).contains("fashion")
                ? "Weights trained by Atelier on Fashion-MNIST (Zalando Research, MIT licence)."
                : "Weights trained by Atelier on " + used.source() + "; the data's licence applies.";
        m.training = new ModelManifest.Training();
        m.training.command = commandLine;
        m.training.data = used.source();
        m.training.steps = step;
        m.training.seconds = Math.round(seconds * 10) / 10.0;
        ObjectNode metrics = m.metrics != null ? m.metrics : ModelManifest.JSON.createObjectNode();
        metrics.put("train_loss_recent", recentLoss);
        m.metrics = metrics;
        m.image = new ModelManifest.Image(used.size(), used.channels());
        m.classes = used.classes();
        Parameterization p = Parameterization.DEFAULT;
        m.c_noise = p.noise().manifestName();
        m.scalings_inside = false;
        m.sigma_data = p.sigmaData();
        m.sigma_min = p.sigmaMin();
        m.sigma_max = p.sigmaMax();
        if (m.default_steps == null) {
            m.default_steps = 2;
        }
        if (m.schedules == null) {
            Map<String, double[]> s = new LinkedHashMap<>();
            s.put("1", new double[] {80.0});
            s.put("2", new double[] {80.0, 0.8});
            s.put("3", new double[] {80.0, 2.0, 0.5});
            s.put("4", new double[] {80.0, 10.0, 2.0, 0.5});
            m.schedules = s;
        }
        Files.createDirectories(out);
        UNetConsistencyModel.save(out, emaNet, m);
    }

    /** One-step samples f(T·z, T, y) of the EMA network (10 per class, row by row), the same noise every time. */
    private static void writePreview(UNet net, UNetConfig arch, Path file) throws IOException {
        int classes = Math.max(1, arch.numClasses());
        int per = Math.max(1, Math.min(10, 100 / classes));
        int count = classes * per;
        int d = arch.channels() * arch.size() * arch.size();
        RandomStream r = new RandomStream(20261122L);
        float[] z = new float[count * d];
        r.fillGaussian(z);
        Parameterization p = Parameterization.DEFAULT;
        float[] sigma = new float[count];
        int[] labels = arch.numClasses() > 0 ? new int[count] : null;
        for (int i = 0; i < count; i++) {
            sigma[i] = (float) p.sigmaMax();
            if (labels != null) {
                labels[i] = i / per;
            }
        }
        for (int i = 0; i < z.length; i++) {
            z[i] *= (float) p.sigmaMax();
        }
        float[] x;
        try (NDManager m = net.manager().newSubManager()) {
            x = UNetConsistencyModel.apply(net, p, m.create(z, new ai.djl.ndarray.types.Shape(count, arch.channels(),
                    arch.size(), arch.size())), sigma, labels).toFloatArray();
        }
        PngImages.write(file, PngImages.grid(x, count, arch.channels(), arch.size(), 0), null);
    }
}
