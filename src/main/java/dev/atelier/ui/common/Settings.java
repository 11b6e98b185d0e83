package dev.atelier.ui.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The studio's per-user settings; a plain JSON object, unknown fields ignored, missing ones defaulted. The file
 * records its format {@link #version}; when a default changes, raise {@link #VERSION} and add the change to
 * {@link #CHANGED_DEFAULTS}, so that files written before it get the new default (see {@link SettingsStore}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Settings {
    /**
     * The settings format this studio writes. 1: the files written before the format was recorded (they have no
     * {@code "version"}); 2: the format recorded, and the defaults of {@link #CHANGED_DEFAULTS} in effect.
     */
    public static final int VERSION = 2;

    /**
     * A default that changed: in files older than {@code version}, the value at {@code path} (field names from
     * the top, "/"-separated) that still equals {@code oldDefault} (a JSON literal) was not a choice of the user's
     * but what the studio then started with, so it is replaced by the current default (the field's initial value
     * here). Any other value stays: the user chose it.
     *
     * @param version the first format with the new default
     * @param path the field, e.g. {@code "text/lookahead"}
     * @param oldDefault the default before, as JSON, e.g. {@code "1"} or {@code "true"}
     * @param why what changed and why, for the record
     */
    public record ChangedDefault(int version, String path, String oldDefault, String why) {
    }

    /** Every default changed since settings files exist, oldest first: the one place to add the next one. */
    public static final java.util.List<ChangedDefault> CHANGED_DEFAULTS = java.util.List.of(
            new ChangedDefault(2, "text/noRepeatNgram", "0", "0 → 3: without it a small model's beams loop"),
            new ChangedDefault(2, "text/lookahead", "1", "1 → 2 tokens: as fluent as hf mode, constraints as early"),
            new ChangedDefault(2, "text/tokenHealing", "true", "on → off: it did not make outputs likelier"));

    /** the format the settings are in; loading brings older files to {@link #VERSION} */
    public int version = VERSION;
    /** "light" or "dark" */
    public String theme = "light";
    /** index of the panel shown last: 0 sampling, 1 inpainting, 2 text */
    public int panel;
    /** window geometry; NaN = let the window system place it */
    public double x = Double.NaN;
    public double y = Double.NaN;
    public double width = 1200;
    public double height = 800;
    public boolean maximized;
    /** "auto", "cpu" or "gpu" */
    public String device = "auto";
    /** PyTorch intra-op threads; 0 = all cores */
    public int threads;
    /** the Sampling panel's form */
    public SamplingSettings sampling = new SamplingSettings();

    /** The Sampling panel's settings, restored at the next start. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class SamplingSettings {
        /** shipped name or path; null = the first shipped consistency model */
        public String model;
        public int steps = 2;
        /** true: a new random seed for every Generate; false: reuse {@link #seed} */
        public boolean randomSeed = true;
        public long seed = 42;
        public int count = 16;
        /** "random" or a class name */
        public String classChoice = "random";
        /** show 1 step next to the chosen count */
        public boolean compare;
        /** the class-guidance weight, 0…10; null = the model's default (its manifest's "guidance") */
        public Double guidance;
    }

    /** the Text panel's settings */
    public TextSettings text = new TextSettings();

    /** The Text panel: model, prompts, the last constraint set and the beam settings. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class TextSettings {
        /** the model: a shipped name or a path; null = the first shipped language model */
        public String model;
        /** models opened with Open…, newest first */
        public java.util.List<String> recentModels = new java.util.ArrayList<>();
        /** the prompt editor's text, one prompt per line */
        public String prompts = "";
        /** the constraint chips (the "studio" chips of a constraint set file), or null */
        public com.fasterxml.jackson.databind.JsonNode chips;
        public int beams = 4;
        public int maxNewTokens = 30;
        public double lengthPenalty = 1.0;
        /** "true", "false" or "never" */
        public String earlyStopping = "false";
        /**
         * 3 at first (the command line's default is 0, as in Hugging Face): a small model's beams otherwise loop
         * ("The old man was a man who was a man who …")
         */
        public int noRepeatNgram = DEFAULT_NO_REPEAT_NGRAM;
        /** the panel's first no-repeat n-gram size */
        public static final int DEFAULT_NO_REPEAT_NGRAM = 3;
        public int numReturn = 1;
        /** "strict" or "hf" */
        public String mode = "strict";
        /** strict mode: rank beams with a lookahead of {@link #lookahead} tokens */
        public boolean lookaheadOn = true;
        /** lookahead depth in tokens, used when {@link #lookaheadOn} */
        public int lookahead = dev.atelier.text.BeamSearchConfig.DEFAULT_LOOKAHEAD;
        public double lookaheadWeight = dev.atelier.text.BeamSearchConfig.DEFAULT_LOOKAHEAD_WEIGHT;
        /** strict mode: heal the prompt's last token */
        public boolean tokenHealing = dev.atelier.text.BeamSearchConfig.DEFAULT_TOKEN_HEALING;
    }

    /** the Inpainting panel's settings */
    public InpaintSettings inpaint = new InpaintSettings();

    /** The Inpainting panel's settings; null fields mean "the model's default". */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class InpaintSettings {
        /** model name or path */
        public String model;
        /** "inpaint", "colorize", "superres", "denoise" or "stroke" */
        public String task = "inpaint";
        /** f evaluations; null = the model's default */
        public Integer steps;
        /** "random" (a new seed each run) or "fixed" */
        public String seedMode = "random";
        /** the seed of the last run (reused in "fixed" mode) */
        public long seed = 1;
        /** brush radius in model pixels */
        public double brush = 3;
        /** mask overlay opacity, 0..1 */
        public double overlay = 0.55;
        /** denoise: the input's noise level */
        public double sigma = 0.3;
        /** super-resolution: the patch side */
        public int patch = 4;
        /** results per run */
        public int count = 4;
        /** stroke-guided editing: the brush colour, 0xRRGGBB (a grey level for grey models) */
        public int strokeColour = 0xffffff;
        /** the class-guidance weight, 0…10; null = the task's default (the manifest's edit_schedules) */
        public Double guidance;
    }
}
