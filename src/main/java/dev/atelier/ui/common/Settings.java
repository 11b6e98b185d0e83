package dev.atelier.ui.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The studio's per-user settings; a plain JSON object, unknown fields ignored, missing ones defaulted. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Settings {
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
    }
}
