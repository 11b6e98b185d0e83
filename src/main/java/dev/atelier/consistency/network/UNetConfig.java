package dev.atelier.consistency.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.Limits;
import dev.atelier.base.ModelManifest;
import java.util.Arrays;

/**
 * The shape of a {@link UNet}: image geometry, channel widths per resolution, residual blocks per level,
 * attention at the lowest resolution, and the number of classes (0 = unconditional). Stored in the
 * manifest's {@code architecture} object.
 *
 * @param size image side; must be divisible by 2^(levels−1)
 * @param channels image channels, 1 or 3
 * @param base channels of the first level
 * @param mult channel multiplier per level (length = number of resolutions)
 * @param blocks residual blocks per level on the way down (and up)
 * @param attention self-attention in the middle (lowest resolution)
 * @param numClasses classes for class-conditional models, 0 for unconditional ones
 */
public record UNetConfig(int size, int channels, int base, int[] mult, int blocks, boolean attention, int numClasses) {
    /** The architecture name written to manifests. */
    public static final String TYPE = "atelier-unet/1";
    /** Group count of every GroupNorm (clipped to the channel count). */
    public static final int GROUPS = 8;

    /** Most resolution levels (each halves the image). */
    public static final int MAX_LEVELS = 8;
    /** Most residual blocks per level. */
    public static final int MAX_BLOCKS = 16;
    /** Widest level, in channels. */
    public static final int MAX_WIDTH = 2048;

    /** Checks the values, each against a stated bound before anything is built from them. */
    public UNetConfig {
        if (size < 4 || size > Limits.MAX_IMAGE_SIZE || (channels != 1 && channels != 3) || base < GROUPS
                || base > MAX_WIDTH || mult.length < 1 || mult.length > MAX_LEVELS || blocks < 1 || blocks > MAX_BLOCKS
                || numClasses < 0 || numClasses > Limits.MAX_CLASSES) {
            throw new AtelierException("Invalid UNet architecture (size " + size + ", channels " + channels + ", base "
                    + base + ", levels " + mult.length + ", blocks " + blocks + ", classes " + numClasses + "). Use size "
                    + "4 to " + Limits.MAX_IMAGE_SIZE + ", 1 or 3 channels, base " + GROUPS + " to " + MAX_WIDTH + ", 1 to "
                    + MAX_LEVELS + " levels, 1 to " + MAX_BLOCKS + " blocks and 0 to " + Limits.MAX_CLASSES + " classes.");
        }
        if (size % (1 << (mult.length - 1)) != 0) {
            throw new AtelierException("The image size " + size + " cannot be halved " + (mult.length - 1)
                    + " times. Use fewer levels or a size divisible by " + (1 << (mult.length - 1)) + ".");
        }
        for (int m : mult) {
            if (m < 1 || (long) base * m > MAX_WIDTH) {
                throw new AtelierException("Channel multiplier " + m + " with base " + base + " gives a level wider "
                        + "than " + MAX_WIDTH + " channels (or not positive). Use widths of 1 to " + MAX_WIDTH + ".");
            }
            if ((base * m) % Math.min(GROUPS, base * m) != 0) {
                throw new AtelierException("Channel multiplier " + m + " with base " + base + " does not suit "
                        + GROUPS + " normalisation groups. Use a base divisible by " + GROUPS + ".");
            }
        }
        mult = mult.clone();
    }

    /** @return the channel width of level {@code l} */
    public int width(int l) {
        return base * mult[l];
    }

    /**
     * An upper estimate of the floats one image holds at the peak of a forward pass: the skip activations kept
     * for the way up, the working tensors of the widest block (its input concatenated with a skip, norms and
     * convolutions), and, with attention, its (S/2^(L−1))⁴ score matrix and softmax. Used to refuse a network
     * whose test run could not fit in memory, and to size the batches of a job; computed in {@code long}
     * (every factor is bounded by the checks above, so no product overflows).
     */
    public long peakFloatsPerImage() {
        long skips = 0;
        long widest = 0;
        for (int l = 0; l < mult.length; l++) {
            long res = (long) size >> l;
            skips += (long) blocks * width(l) * res * res;
            widest = Math.max(widest, 2L * width(l) * res * res);
        }
        long low = (long) size >> (mult.length - 1);
        long attn = attention ? 2 * (low * low) * (low * low) + 4L * width(mult.length - 1) * low * low : 0;
        return skips + 6 * widest + attn;
    }

    /** @return the width of the noise/class embedding */
    public int embedDim() {
        return 4 * base;
    }

    /** @return this configuration as a manifest {@code architecture} object */
    public ObjectNode toJson() {
        ObjectNode n = ModelManifest.JSON.createObjectNode();
        n.put("type", TYPE);
        n.put("size", size);
        n.put("channels", channels);
        n.put("base", base);
        ArrayNode a = n.putArray("mult");
        for (int m : mult) {
            a.add(m);
        }
        n.put("blocks", blocks);
        n.put("attention", attention);
        n.put("num_classes", numClasses);
        return n;
    }

    /**
     * @param n a manifest {@code architecture} object
     * @throws AtelierException when it is not an Atelier UNet
     */
    public static UNetConfig fromJson(JsonNode n) {
        if (n == null || !TYPE.equals(n.path("type").asText())) {
            throw new AtelierException("The model's architecture is not \"" + TYPE + "\", so Atelier's UNet cannot "
                    + "load it. Use a model directory written by atelier train-cm, or a TorchScript model.");
        }
        for (String field : new String[] {"size", "channels", "base", "mult", "blocks", "attention"}) {
            if (!n.hasNonNull(field)) {
                throw new AtelierException("The model's architecture has no \"" + field + "\" (it needs size, channels, "
                        + "base, mult, blocks and attention). Use the manifest.json written by atelier train-cm.");
            }
        }
        JsonNode m = n.get("mult");
        if (!m.isArray() || m.size() > MAX_LEVELS) {
            throw new AtelierException("The model's architecture has a \"mult\" that is not a list of 1 to "
                    + MAX_LEVELS + " channel multipliers. Use the manifest.json written by atelier train-cm.");
        }
        int[] mult = new int[m.size()];
        for (int i = 0; i < mult.length; i++) {
            mult[i] = m.get(i).asInt();
        }
        return new UNetConfig(n.get("size").asInt(), n.get("channels").asInt(), n.get("base").asInt(), mult,
                n.get("blocks").asInt(), n.get("attention").asBoolean(), n.path("num_classes").asInt(0));
    }

    /**
     * Parses "24-48-48" style channel lists plus the other fields.
     *
     * @param channelsSpec channels per level, e.g. "32-64-64"; the first is the base
     */
    public static UNetConfig parse(int size, int channels, String channelsSpec, int blocks, boolean attention,
                                   int numClasses) {
        String[] parts = channelsSpec.split("[-,]");
        int base;
        int[] mult = new int[parts.length];
        try {
            base = Integer.parseInt(parts[0].trim());
            for (int i = 0; i < parts.length; i++) {
                int w = Integer.parseInt(parts[i].trim());
                if (base <= 0 || w % base != 0) {
                    throw new AtelierException("Channel width " + w + " is not a multiple of the first width " + base
                            + ". Give widths such as 32-64-64.");
                }
                mult[i] = w / base;
            }
        } catch (NumberFormatException e) {
            throw new AtelierException("Cannot read the channel list \"" + channelsSpec + "\". Give widths per level "
                    + "separated by dashes, such as 32-64-64.");
        }
        return new UNetConfig(size, channels, base, mult, blocks, attention, numClasses);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetConfig c && c.size == size && c.channels == channels && c.base == base
                && Arrays.equals(c.mult, mult) && c.blocks == blocks && c.attention == attention
                && c.numClasses == numClasses;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mult) * 31 + size * 17 + base;
    }

    @Override
    public String toString() {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < mult.length; i++) {
            w.append(i == 0 ? "" : "-").append(width(i));
        }
        return "UNet " + w + " ×" + blocks + (attention ? " +attn" : "") + ", " + size + "×" + size + "×" + channels
                + (numClasses > 0 ? ", " + numClasses + " classes" : "");
    }
}
