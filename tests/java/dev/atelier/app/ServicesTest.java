package dev.atelier.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import dev.atelier.consistency.EditRequest;
import dev.atelier.consistency.GenerationRequest;
import dev.atelier.consistency.SampleRequest;
import dev.atelier.image.PngImages;
import dev.atelier.base.EngineConfig;
import dev.atelier.runtime.JobListener;
import dev.atelier.runtime.JobOwner;
import dev.atelier.text.BeamSearchConfig;
import dev.atelier.text.ConstraintSpec;
import dev.atelier.text.EarlyStopping;
import dev.atelier.text.SearchMode;
import dev.atelier.consistency.EditClassInference;
import dev.atelier.consistency.EditTask;
import dev.atelier.consistency.ConsistencyEngine;
import dev.atelier.consistency.eval.Classifier;
import dev.atelier.runtime.ConsistencyModels;
import dev.atelier.runtime.LoadedConsistencyModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The services driven directly, as the studio's panels drive them: no command line in between. */
class ServicesTest {
    static final String GRAY = "tests/resources/consistency/good-inside";
    static final String RGB = "tests/resources/consistency/good-outside";
    static final String TOY = "tests/resources/text/toy-bigram.json";
    static final JobOwner PANEL = new JobOwner("test-panel");
    static Services services;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        services = Services.start(new EngineConfig("cpu", 1, "the test"));
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void samplingReportsWhatRanAndImageIIsSeedPlusIsImage() {
        List<SampleProgress> previews = new ArrayList<>();
        ImageResult r = services.sampling().run(PANEL, new SamplingRequest(GRAY, 9L, 5, null, null),
                new JobListener<>() {
                    @Override
                    public void onPartial(SampleProgress p) {
                        previews.add(p);
                    }
                });
        SampleRequest ran = (SampleRequest) r.settings();
        assertEquals(List.of(80.0, 0.8), ran.sigmas(), "the manifest's tuned 2-step list");
        assertEquals(2, ran.steps());
        assertEquals(9, ran.seed());
        assertArrayEquals(new long[] {9, 10, 11, 12, 13}, r.seeds());
        assertNull(r.labels(), "an unconditional model has no labels");
        assertEquals(5 * 64, r.pixels().length);
        assertEquals(2, previews.size(), "one preview per f evaluation");
        assertArrayEquals(r.pixels(), previews.get(1).preview(), "the last preview is the result");

        ImageResult single = services.sampling().run(PANEL, new SamplingRequest(GRAY, 10L, 1, null, null), null);
        assertArrayEquals(r.image(1), single.image(0), 1e-5f, "image 1 of seed 9 is image 0 of seed 10 (up to "
                + "float rounding that depends on the batch)");
    }

    @Test
    void aDefaultSeedIsDrawnAndReportedAndThePngCarriesTheSettings() throws Exception {
        ImageResult r = services.sampling().run(PANEL, new SamplingRequest(RGB, null, 2, 1, "green"), null);
        assertArrayEquals(new int[] {1, 1}, r.labels(), "the class name resolves to its index");
        byte[] png = r.png(0);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(16, img.getWidth());
        Path file = tmp.resolve("r.png");
        java.nio.file.Files.write(file, png);
        assertEquals(r.settings(), PngImages.readRequest(file));
        ImageResult again = services.sampling().run(PANEL, new SamplingRequest(RGB, r.settings().seed(), 2, 1,
                "1"), null);
        assertArrayEquals(r.pixels(), again.pixels(), "the reported seed reproduces the images");
        ImageResult restored = services.sampling().run(PANEL,
                SamplingRequest.of((SampleRequest) PngImages.readRequest(file)), null);
        assertArrayEquals(r.pixels(), restored.pixels(), "a dropped PNG's settings reproduce its images");
    }

    @Test
    void aModelLoadsOnceAndStaysCached() {
        services.sampling().run(PANEL, new SamplingRequest(GRAY, 1L, 1, 1, null), null);
        long loads = services.lane().models().loads();
        services.sampling().run(PANEL, new SamplingRequest(GRAY, 2L, 1, 1, null), null);
        services.editing().run(PANEL, new EditingRequest.Interpolate(GRAY, 1L, 2L, 2, Schedule.ofSteps(1), null),
                null);
        assertEquals(loads, services.lane().models().loads(), "cached: no second load");
    }

    /**
     * Auto class: the shipped model's kept-classifier loads once, then stays in the lane's cache; a cached edit detects
     * what a freshly loaded classifier detects on the same kept part.
     */
    @Test
    void theClassInferenceClassifierLoadsOnceAndDetectsAsAFreshOne() {
        ImageResult trouser = services.sampling().run(PANEL, new SamplingRequest("fashion-mnist", 3L, 1, 2, "Trouser"),
                null);
        boolean[] bottom = new boolean[28 * 28];
        java.util.Arrays.fill(bottom, 14 * 28, 28 * 28, true);
        EditingRequest.Inpaint edit = new EditingRequest.Inpaint("fashion-mnist", ImageInput.of(trouser.grid(0)),
                new MaskInput.Painted(bottom, 28, 28), 5L, 1, Schedule.ofSteps(1), null);
        long before = services.lane().models().loads();
        ImageResult first = services.editing().run(PANEL, edit, null);
        long loads = services.lane().models().loads();
        assertEquals(before + 1, loads, "the first auto-class edit loads the classifier (no other test edits this model)");
        ImageResult second = services.editing().run(PANEL, edit, null);
        assertEquals(loads, services.lane().models().loads(), "the classifier is cached with the model");
        EditClassInference.Detected cached = ((EditRequest) second.settings()).detected();
        assertEquals(((EditRequest) first.settings()).detected(), cached);
        try (LoadedConsistencyModel m = ConsistencyModels.load(services.catalogue().resolve("fashion-mnist"),
                ai.djl.Device.cpu());
                Classifier fresh = Classifier.forModel(m.directory(), m.model(), ai.djl.Device.cpu())) {
            float[] pixels = java.util.Arrays.copyOf(trouser.pixels(), 28 * 28);
            EditClassInference.Detected direct = EditClassInference.infer(m.model(), fresh, EditTask.INPAINT, pixels,
                    new ConsistencyEngine(m.model()).knownPart(EditTask.INPAINT, bottom, null), 5L);
            assertEquals(direct.label(), cached.label());
            assertEquals(direct.confidence(), cached.confidence(), 1e-6);
        }
    }

    /**
     * What a panel learns about guidance from the manifest alone (no weights load) agrees with what the services
     * run: the default weights of sampling and of each edit task, and which models can be guided at all (Atelier's
     * own network always; a TorchScript one only with "null_class"; never one without classes).
     */
    @Test
    void theCatalogueDescribesGuidanceAsTheServicesRunIt() throws Exception {
        String guided = dev.atelier.ui.GuidedFixture.make(tmp).toString();
        ModelDescription d = services.catalogue().describe(guided);
        assertTrue(d.guidable());
        assertNull(d.unguidableReason());
        assertEquals(dev.atelier.ui.GuidedFixture.SAMPLING, d.guidance());
        assertEquals(dev.atelier.ui.GuidedFixture.INPAINT, d.editGuidance(EditTask.INPAINT));
        assertEquals(0.0, d.editGuidance(EditTask.SUPERRES), "a tuned schedule without a weight");
        assertEquals(0.0, d.editGuidance(EditTask.STROKE), "no entry");
        ImageResult sampled = services.sampling().run(PANEL, new SamplingRequest(guided, 1L, 1, 1, "red"), null);
        assertEquals(d.guidance(), sampled.settings().guidance());
        BufferedImage in = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        boolean[] all = new boolean[64];
        java.util.Arrays.fill(all, true);
        ImageResult inpainted = services.editing().run(PANEL, new EditingRequest.Inpaint(guided, ImageInput.of(in),
                new MaskInput.Painted(all, 8, 8), 1L, 1, Schedule.DEFAULT, "green"), null);
        assertEquals(d.editGuidance(EditTask.INPAINT), inpainted.settings().guidance());

        ModelDescription rgb = services.catalogue().describe(RGB);
        assertFalse(rgb.guidable(), "classes but no \"no class\"");
        assertTrue(rgb.unguidableReason().contains("no class"), rgb.unguidableReason());
        ModelDescription gray = services.catalogue().describe(GRAY);
        assertFalse(gray.guidable());
        assertTrue(gray.unguidableReason().contains("no classes"), gray.unguidableReason());
        assertTrue(services.catalogue().describe("fashion-mnist").guidable(), "Atelier's own network");
    }

    /** The canvas's in-memory mask and image give exactly what the same mask and image as files give. */
    @Test
    void inpaintingFromMemoryKeepsKnownPixelsAndMatchesTheFiles() throws Exception {
        BufferedImage in = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
        boolean[] flags = new boolean[64];
        BufferedImage maskImage = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                in.setRGB(x, y, (x * 31) << 16 | (y * 29) << 8 | (x * y * 3));
                flags[y * 8 + x] = y >= 4;
                maskImage.getRaster().setSample(x, y, 0, y >= 4 ? 255 : 0);
            }
        }
        ImageResult mem = services.editing().run(PANEL, new EditingRequest.Inpaint(RGB, ImageInput.of(in),
                new MaskInput.Painted(flags, 8, 8), 1L, 2, Schedule.DEFAULT, null), null);
        BufferedImage grid = mem.grid(0);
        int changed = 0;
        for (int t = 0; t < 2; t++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int got = grid.getRGB(t * 8 + x, y) & 0xffffff;
                    int want = in.getRGB(x, y) & 0xffffff;
                    if (y < 4) {
                        assertEquals(want, got, "known pixel " + x + "," + y);
                    } else if (got != want) {
                        changed++;
                    }
                }
            }
        }
        assertTrue(changed > 50, "masked pixels regenerated");
        EditRequest ran = (EditRequest) mem.settings();
        assertNull(ran.image(), "no file behind an in-memory image");
        assertEquals(64, ran.maskSha256().length());

        Path img = tmp.resolve("in.png");
        Path mask = tmp.resolve("mask.png");
        ImageIO.write(in, "png", img.toFile());
        ImageIO.write(maskImage, "png", mask.toFile());
        ImageResult files = services.editing().run(PANEL, new EditingRequest.Inpaint(RGB, ImageInput.of(img),
                MaskInput.of(mask), 1L, 2, Schedule.DEFAULT, null), null);
        assertArrayEquals(files.pixels(), mem.pixels(), "same inputs, same result, from memory or from files");
    }

    @Test
    void everyEditTaskRunsAndReportsItsSchedule() {
        BufferedImage in = new BufferedImage(12, 9, BufferedImage.TYPE_INT_RGB);
        ImageInput image = ImageInput.of(in);
        List<EditingRequest> requests = List.of(
                new EditingRequest.Colorize(RGB, image, 1L, 1, Schedule.DEFAULT, null),
                new EditingRequest.Superres(RGB, image, 2, 1L, 1, Schedule.DEFAULT, null),
                new EditingRequest.Denoise(RGB, image, 0.3, null),
                new EditingRequest.Stroke(RGB, image, 1L, 1, Schedule.DEFAULT, null),
                new EditingRequest.Interpolate(RGB, 3L, 4L, 3, Schedule.DEFAULT, null));
        for (EditingRequest q : requests) {
            ImageResult r = services.editing().run(PANEL, q, null);
            assertEquals(q.task().id(), r.settings().task());
            assertEquals(q.count(), r.count());
        }
        EditRequest stroke = (EditRequest) services.editing().run(PANEL, requests.get(3), null).settings();
        assertEquals(List.of(5.38, 2.24), stroke.sigmas(), "SDEdit's levels by default");
        EditRequest denoise = (EditRequest) services.editing().run(PANEL, requests.get(2), null).settings();
        assertEquals(List.of(0.3), denoise.sigmas());
        EditRequest interp = (EditRequest) services.editing().run(PANEL, requests.get(4), null).settings();
        assertEquals(3L, interp.seedA());
        assertEquals(4L, interp.seedB());
    }

    @Test
    void invalidRequestsNameTheirField() {
        assertEquals("count", assertThrows(AtelierException.class,
                () -> new SamplingRequest(null, null, 0, null, null)).field());
        AtelierException steps = assertThrows(AtelierException.class,
                () -> new SamplingRequest(null, null, 1, 65, null));
        assertEquals("steps", steps.field());
        assertTrue(steps.getMessage().startsWith("steps 65 is out of range"), steps.getMessage());
        assertEquals("sigmas", assertThrows(AtelierException.class, () -> new Schedule(2, List.of(5.0, 2.0))).field());
        assertEquals("mask", assertThrows(AtelierException.class, () -> new EditingRequest.Inpaint(null,
                ImageInput.of(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB)), null, null, 1, null, null))
                .field());
        assertEquals("mask", assertThrows(AtelierException.class, () -> new MaskInput.Painted(new boolean[5], 2, 2))
                .field());
        assertEquals("frames", assertThrows(AtelierException.class,
                () -> new EditingRequest.Interpolate(null, 1L, 2L, 1, null, null)).field());
        assertEquals("patch", assertThrows(AtelierException.class, () -> new EditingRequest.Superres(null,
                ImageInput.of(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB)), 0, null, 1, null, null)).field());
        assertEquals("numReturn", assertThrows(AtelierException.class, () -> new BeamSearchConfig(SearchMode.STRICT,
                2, null, 5, 0, 1.0, EarlyStopping.FALSE, 3, 0)).field());

        // errors found while running name their field too
        AtelierException cls = assertThrows(AtelierException.class,
                () -> services.sampling().run(PANEL, new SamplingRequest(RGB, 1L, 1, 1, "purple"), null));
        assertNotEquals(null, cls.getMessage());
        AtelierException phrase = assertThrows(AtelierException.class, () -> services.text().run(PANEL,
                TextRequest.sharedConstraints(TOY, List.of("The"), List.of(ConstraintSpec.ofFlag(
                        ConstraintSpec.Kind.PHRASE, "is fast"), ConstraintSpec.ofFlag(ConstraintSpec.Kind.PHRASE,
                        "is purple")), BeamSearchConfig.defaults()), null));
        assertEquals("constraint[1]", phrase.field());
    }

    /**
     * Guidance: the shipped model's default is its manifest's (sampling) and its edit task's (editing), a request's
     * weight wins and is what the settings record; an unconditional model records none; a model without a "no class"
     * refuses a weight naming the field.
     */
    @Test
    void guidanceDefaultsToTheManifestAndARequestOverridesIt() throws Exception {
        dev.atelier.base.ModelManifest shipped = dev.atelier.base.ModelManifest.read(
                services.catalogue().resolve("fashion-mnist"));
        double sampling = shipped.guidance == null ? 0 : shipped.guidance;
        var inpaintEntry = shipped.edit_schedules == null ? null : shipped.edit_schedules.get("inpaint");
        double inpainting = inpaintEntry == null || inpaintEntry.guidance() == null ? 0 : inpaintEntry.guidance();
        assertEquals(sampling, services.sampling().run(PANEL, new SamplingRequest("fashion-mnist", 1L, 1, 1, null),
                null).settings().guidance());
        assertEquals(1.5, services.sampling().run(PANEL, new SamplingRequest("fashion-mnist", 1L, 1, 1, null, 1.5),
                null).settings().guidance());
        boolean[] bottom = new boolean[28 * 28];
        java.util.Arrays.fill(bottom, 14 * 28, 28 * 28, true);
        ImageInput in = ImageInput.of(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY));
        MaskInput mask = new MaskInput.Painted(bottom, 28, 28);
        assertEquals(inpainting, services.editing().run(PANEL, new EditingRequest.Inpaint("fashion-mnist", in, mask,
                1L, 1, Schedule.ofSteps(1), "Trouser"), null).settings().guidance());
        assertEquals(0.0, services.editing().run(PANEL, new EditingRequest.Inpaint("fashion-mnist", in, mask, 1L, 1,
                new Schedule(1, null, 0.0), "Trouser"), null).settings().guidance());
        assertNull(services.sampling().run(PANEL, new SamplingRequest(GRAY, 1L, 1, 1, null), null).settings()
                .guidance());
        assertEquals("guidance", assertThrows(AtelierException.class, () -> services.sampling().run(PANEL,
                new SamplingRequest(RGB, 1L, 1, 1, null, 0.5), null)).field());
        assertEquals("guidance", assertThrows(AtelierException.class, () -> new SamplingRequest(null, 1L, 1, 1, null,
                -0.5)).field());
    }

    /** The CLI's contract example (TextCommandTest) through the service: same tokens, text, score and span. */
    @Test
    void textMatchesTheContractExample() {
        BeamSearchConfig hf = new BeamSearchConfig(SearchMode.HF, 3, 6, null, 0, 1.0, EarlyStopping.FALSE, 1, 0);
        TextResult r = services.text().run(PANEL, TextRequest.sharedConstraints(TOY, List.of("The"),
                List.of(ConstraintSpec.ofFlag(ConstraintSpec.Kind.PHRASE, "is fast")), hf), null);
        TextResult.Output o = r.outputs().get(0);
        assertArrayEquals(new int[] {1, 2, 3, 4, 0}, o.output().tokens());
        assertEquals("The dog is fast <eos>", o.text());
        assertEquals(4, o.shown()); // the studio shows the text without the final end of text
        assertEquals(-0.7925, Math.round(o.output().score() * 1e4) / 1e4, 0.0);
        assertEquals(List.of("is fast"), o.matchTexts());
    }

    /** Strict search through the service: snapshots arrive as partials, decoded, and end at the outputs. */
    @Test
    void textSnapshotsArriveDecodedAndAgreeWithTheOutput() {
        BeamSearchConfig strict = new BeamSearchConfig(SearchMode.STRICT, 3, null, 4, 0, 1.0, EarlyStopping.FALSE, 1, 0);
        List<dev.atelier.text.BeamSnapshot> snaps = new ArrayList<>();
        TextResult r = services.text().run(PANEL, TextRequest.sharedConstraints(TOY, List.of("The"),
                List.of(ConstraintSpec.ofFlag(ConstraintSpec.Kind.PHRASE, "is fast")), strict), new JobListener<>() {
                    @Override
                    public void onPartial(dev.atelier.text.BeamSnapshot s) {
                        snaps.add(s);
                    }
                });
        assertTrue(!snaps.isEmpty());
        TextResult.Output best = r.outputs().get(0);
        assertTrue(best.output().satisfied());
        int[] tokens = best.output().tokens();
        int[] beforeEos = tokens[tokens.length - 1] == 0 ? java.util.Arrays.copyOf(tokens, tokens.length - 1) : tokens;
        dev.atelier.text.BeamSnapshot at = snaps.get(beforeEos.length - best.output().promptLength() - 1);
        dev.atelier.text.BeamSnapshot.Beam beam = at.prompts().get(0).beams().stream()
                .filter(b -> java.util.Arrays.equals(b.tokens(), beforeEos)).findFirst().orElseThrow();
        assertTrue(beam.satisfied());
        assertEquals(List.of(new dev.atelier.text.BeamSnapshot.Progress(0, 2, 2, true)), beam.constraints());
        assertTrue(best.text().startsWith(beam.text()), beam.text() + " / " + best.text());
        assertTrue(snaps.stream().allMatch(s -> s.prompts().get(0).beams().stream().allMatch(b -> b.text() != null)));
    }

    @Test
    void theCatalogueDescribesModelsFromTheirManifests() {
        ModelDescription fm = services.catalogue().describe("fashion-mnist");
        assertEquals(ModelDescription.CONSISTENCY, fm.kind());
        assertEquals(28, fm.size());
        assertEquals(1, fm.channels());
        assertEquals(10, fm.classes().size());
        assertEquals("Sneaker", fm.classes().get(7), "Fashion-MNIST's class 7");
        assertEquals(64, fm.maxSteps());
        ModelDescription lm = services.catalogue().describe("brown-lm");
        assertEquals(ModelDescription.LANGUAGE, lm.kind());
        assertEquals(256, lm.context(), "the shipped brown-lm reads 256 tokens (its manifest)");
        assertEquals(ModelDescription.LANGUAGE, services.catalogue().describe(TOY).kind());
        assertEquals("model", assertThrows(AtelierException.class,
                () -> services.catalogue().describe("no/such/model")).field());
        assertTrue(services.catalogue().shipped().stream().anyMatch(d -> d.name().equals("fashion-mnist")));
    }

    @Test
    void aPngRequestThatDisagreesWithItsSigmaListIsRefused() {
        String bad = "{\"task\":\"sample\",\"model\":\"m\",\"seed\":1,\"count\":1,\"steps\":3,\"sigmas\":[80.0,0.8]}";
        assertThrows(AtelierException.class, () -> GenerationRequest.fromJson(bad));
        String good = bad.replace("\"steps\":3", "\"steps\":2");
        assertEquals(2, ((SampleRequest) GenerationRequest.fromJson(good)).steps());
    }
}
