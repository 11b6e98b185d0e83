package dev.atelier.app;

import ai.djl.Device;
import dev.atelier.runtime.ConsistencyModels;
import dev.atelier.base.EngineConfig;
import dev.atelier.consistency.eval.Classifier;
import dev.atelier.runtime.InferenceLane;
import dev.atelier.runtime.JobContext;
import dev.atelier.runtime.LoadedConsistencyModel;
import dev.atelier.runtime.ModelCache;
import dev.atelier.runtime.TextModels;
import dev.atelier.text.TextModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The studio's and the command line's one way to the models: a service per job kind, all running their jobs on
 * one {@link InferenceLane} whose cache keeps loaded models. Build it once per window or command.
 */
public final class Services implements AutoCloseable {
    private final InferenceLane lane;
    private final boolean ownsLane;
    private final EngineConfig engine;
    private final ModelCatalogue catalogue = new ModelCatalogue();
    private final SamplingService sampling;
    private final EditingService editing;
    private final TextService text;

    /**
     * Services on an existing lane (the studio's).
     *
     * @param lane where jobs run; closed by its owner
     * @param engine device and threads for every model
     */
    public Services(InferenceLane lane, EngineConfig engine) {
        this(lane, false, engine);
    }

    private Services(InferenceLane lane, boolean ownsLane, EngineConfig engine) {
        this.lane = lane;
        this.ownsLane = ownsLane;
        this.engine = engine;
        this.sampling = new SamplingService(this);
        this.editing = new EditingService(this);
        this.text = new TextService(this);
    }

    /** @return services on a lane of their own, closed with them (the command line) */
    public static Services start(EngineConfig engine) {
        return new Services(new InferenceLane(), true, engine);
    }

    /** @return sampling from consistency models */
    public SamplingService sampling() {
        return sampling;
    }

    /** @return zero-shot editing */
    public EditingService editing() {
        return editing;
    }

    /** @return constrained beam search */
    public TextService text() {
        return text;
    }

    /** @return the models to choose from, described without loading them */
    public ModelCatalogue catalogue() {
        return catalogue;
    }

    /** @return the lane jobs run on */
    public InferenceLane lane() {
        return lane;
    }

    /** @return the device and threads models run with */
    public EngineConfig engine() {
        return engine;
    }

    /** Closes the lane (and with it the cached models) if these services started it. */
    @Override
    public void close() {
        if (ownsLane) {
            lane.close();
        }
    }

    /** @return the consistency model {@code spec} names, from the lane's cache (do not close it) */
    LoadedConsistencyModel consistencyModel(JobContext<?> ctx, String spec) {
        Path path = catalogue.resolve(spec);
        Device device = engine.apply();
        return cache(ctx).get("consistency", path, device.toString(), LoadedConsistencyModel.class,
                p -> ConsistencyModels.load(p, device));
    }

    /**
     * @return the class-inference classifier of {@code m} ({@link Classifier#forModel}), from the lane's cache (do not
     *     close it), or null when the model has none that fits
     */
    Classifier inferenceClassifier(JobContext<?> ctx, LoadedConsistencyModel m) {
        Path dir = Classifier.inferenceDir(m.directory(), m.model());
        if (dir == null) {
            return null;
        }
        Device device = engine.apply();
        Classifier c = cache(ctx).get("classifier", dir, device.toString(), Classifier.class,
                p -> Classifier.load(p, device));
        return c.fits(m.model()) ? c : null;
    }

    /** @return the text model {@code spec} names, from the lane's cache (do not close it) */
    TextModel textModel(JobContext<?> ctx, String spec) {
        Path path = catalogue.resolve(spec);
        String device;
        if (Files.isDirectory(path)) {
            device = engine.apply().toString();
        } else {
            engine.applyThreads();
            device = "java";
        }
        return cache(ctx).get("text", path, device, TextModel.class, p -> TextModels.load(p, engine));
    }

    private static ModelCache cache(JobContext<?> ctx) {
        ModelCache c = ctx.models();
        if (c == null) {
            throw new IllegalStateException("models are loaded on the inference lane only");
        }
        return c;
    }
}
