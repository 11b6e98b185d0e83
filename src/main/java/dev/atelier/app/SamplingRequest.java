package dev.atelier.app;

/**
 * What the user asks of the sampler: a form binds to it, the command line builds it from its options. Validated
 * when built; what ran (σ list, seed, labels, time) is in the {@link ImageResult}.
 *
 * @param model a shipped name or a path; null for the first shipped consistency model
 * @param seed base seed (image i uses seed + i); null for a random one, reported in the result
 * @param count number of images, 1…1024
 * @param steps f evaluations, 1…64; null for the model's default
 * @param classLabel a class index or name for every image; null for a random class per image
 * @param guidance the class-guidance weight w, 0…10 (0: none); null for the model's default
 */
public record SamplingRequest(String model, Long seed, int count, Integer steps, String classLabel,
        Double guidance) {
    /** A request with the model's default guidance. */
    public SamplingRequest(String model, Long seed, int count, Integer steps, String classLabel) {
        this(model, seed, count, steps, classLabel, null);
    }

    /**
     * @param ran the settings a result ran with (e.g. read back from a dropped PNG)
     * @return the request that reproduces them: same model, seed, count, steps, class and guidance (none for
     *     settings written before guidance existed)
     */
    public static SamplingRequest of(dev.atelier.consistency.SampleRequest ran) {
        return new SamplingRequest(ran.model(), ran.seed(), ran.count(), ran.steps(),
                ran.classLabel() == null ? null : Integer.toString(ran.classLabel()), ran.guidanceWeight());
    }

    /** @throws dev.atelier.AtelierException naming the field that is out of range */
    public SamplingRequest {
        model = Checks.blankToNull(model);
        classLabel = Checks.blankToNull(classLabel);
        Checks.count("count", count);
        Checks.steps(steps);
        dev.atelier.consistency.GenerationRequest.checkGuidance(guidance);
    }
}
