package dev.atelier.consistency;

/**
 * The known part of a zero-shot edit (Algorithm 4 of Song et al. 2023): an invertible linear map A and a
 * mask Ω in A's space, where Ω = 1 marks what is generated and 0 what is kept from the reference y. After
 * every f call the sampler puts the known part back: x ← A⁻¹[(Ay)⊙(1−Ω) + (Ax)⊙Ω].
 * Arrays hold one image, C·H·W values in NCHW order.
 */
public interface KnownPart {
    /** y ← A⁻¹[(Ay)⊙(1−Ω)]: keeps only the known part of the reference (the sampler's start mean). */
    void keepKnown(float[] y, int offset);

    /** x ← A⁻¹[(Ay)⊙(1−Ω) + (Ax)⊙Ω] for one image at {@code offset} of {@code x} and {@code y}. */
    void restore(float[] x, float[] y, int offset);
}
