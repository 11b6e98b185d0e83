package dev.atelier.ui.sampling;

import java.util.List;

/**
 * What the Sampling panel needs to know about the loaded model to build its form.
 *
 * @param spec the model as the user named it (a shipped name or a path)
 * @param name the manifest's display name
 * @param size image side
 * @param channels 1 or 3
 * @param classes class names (empty for an unconditional model)
 * @param defaultSteps the manifest's default step count
 * @param maxSteps the most steps the model can run
 * @param schedules the σ list for 1 … maxSteps steps (element K−1 for K steps)
 */
public record ModelInfo(String spec, String name, int size, int channels, List<String> classes, int defaultSteps,
        int maxSteps, List<List<Double>> schedules) {
}
