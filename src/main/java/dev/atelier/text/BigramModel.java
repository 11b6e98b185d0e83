package dev.atelier.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.AtelierException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code atelier-bigram/1} toy language model: the next token depends only on the previous one. Logits are
 * ln p for the ids listed after the previous token and ln floor for all others (a previous token without a row
 * gives ln floor everywhere), then log-softmax. Used for tests, teaching and benchmarks.
 *
 * <p>Log-probability rows are computed once per previous token and shared: callers must not modify the arrays
 * {@link Decoder#logProbs()} returns.
 */
public final class BigramModel implements LanguageModel {
    /** The value of the file's {@code format} field. */
    public static final String FORMAT = "atelier-bigram/1";

    private final List<String> vocab;
    private final int eos;
    private final int pad;
    private final double floor;
    private final int[][] nextIds;
    private final double[][] nextProbs;
    private final AtomicReferenceArray<float[]> rows;

    /**
     * @param vocab the words; the token id is the index
     * @param eos end-of-sequence id
     * @param pad padding id
     * @param floor probability weight of the ids a row does not list, {@code > 0}
     * @param next previous id → (next id → probability weight {@code > 0}); missing rows are all-floor
     */
    public BigramModel(List<String> vocab, int eos, int pad, double floor, Map<Integer, Map<Integer, Double>> next) {
        int v = vocab.size();
        if (v == 0) {
            throw new AtelierException("The bigram model has an empty vocabulary. List at least the EOS word in \"vocab\".");
        }
        checkId(eos, v, "eos");
        checkId(pad, v, "pad");
        if (!(floor > 0) || Double.isInfinite(floor)) {
            throw new AtelierException("The bigram model's \"floor\" is " + floor + "; it must be a positive number "
                    + "(e.g. 1e-6), the weight of the tokens a row does not list.");
        }
        this.vocab = List.copyOf(vocab);
        this.eos = eos;
        this.pad = pad;
        this.floor = floor;
        this.nextIds = new int[v][];
        this.nextProbs = new double[v][];
        for (Map.Entry<Integer, Map<Integer, Double>> e : next.entrySet()) {
            int prev = e.getKey();
            checkId(prev, v, "a key of \"next\"");
            int n = e.getValue().size();
            int[] ids = new int[n];
            double[] ps = new double[n];
            int i = 0;
            for (Map.Entry<Integer, Double> f : e.getValue().entrySet()) {
                checkId(f.getKey(), v, "an id in \"next\" row " + prev);
                double p = f.getValue();
                if (!(p > 0) || Double.isInfinite(p)) {
                    throw new AtelierException("The bigram model gives token " + f.getKey() + " after token " + prev
                            + " the weight " + p + "; weights must be positive numbers. Remove the entry instead.");
                }
                ids[i] = f.getKey();
                ps[i] = p;
                i++;
            }
            nextIds[prev] = ids;
            nextProbs[prev] = ps;
        }
        this.rows = new AtomicReferenceArray<>(v);
    }

    private static void checkId(int id, int v, String what) {
        if (id < 0 || id >= v) {
            throw new AtelierException("In the bigram model, " + what + " is " + id + ", outside the vocabulary (ids 0 to "
                    + (v - 1) + "). Fix the id or add the word to \"vocab\".");
        }
    }

    /**
     * Reads an {@code atelier-bigram/1} JSON file.
     *
     * @param file the JSON file
     * @return the model
     * @throws AtelierException if the file is missing, malformed or inconsistent
     */
    public static BigramModel read(Path file) {
        JsonNode root;
        try {
            root = dev.atelier.Json.read(file);
        } catch (JsonProcessingException e) {
            throw new AtelierException("The bigram model " + file + " is not valid JSON (" + AtelierException.jsonProblem(e)
                    + "). Fix it; the format is described in docs/MODELS.md.", e);
        } catch (IOException e) {
            throw new AtelierException("Cannot read the bigram model " + file + ": " + e.getMessage()
                    + ". Check that the file exists and is valid JSON.", e);
        }
        if (root == null || !root.isObject()) {
            throw new AtelierException("The bigram model " + file + " is not a JSON object. See the atelier-bigram/1 "
                    + "format in docs/MODELS.md.");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new AtelierException("The file " + file + " has format \"" + root.path("format").asText("")
                    + "\", not \"" + FORMAT + "\". Give a bigram model file or a model directory.");
        }
        JsonNode vocabNode = root.get("vocab");
        if (vocabNode == null || !vocabNode.isArray()) {
            throw new AtelierException("The bigram model " + file + " has no \"vocab\" list. Add the list of words.");
        }
        List<String> vocab = new ArrayList<>();
        for (JsonNode w : vocabNode) {
            if (!w.isTextual() || w.asText().isBlank() || w.asText().chars().anyMatch(Character::isWhitespace)) {
                throw new AtelierException("The bigram model " + file + " has the vocabulary entry " + w + "; every "
                        + "entry must be a non-empty word without spaces.");
            }
            vocab.add(w.asText());
        }
        int eos = intField(root, "eos", file);
        int pad = intField(root, "pad", file);
        JsonNode floorNode = root.get("floor");
        if (floorNode == null || !floorNode.isNumber()) {
            throw new AtelierException("The bigram model " + file + " has no numeric \"floor\". Add e.g. \"floor\": 1e-6.");
        }
        Map<Integer, Map<Integer, Double>> next = new HashMap<>();
        JsonNode nextNode = root.path("next");
        if (!nextNode.isObject()) {
            throw new AtelierException("The bigram model " + file + " has no \"next\" object. Add one mapping previous "
                    + "ids to {next id: probability}.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = nextNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int prev = parseId(e.getKey(), file);
            if (!e.getValue().isObject()) {
                throw new AtelierException("The bigram model " + file + " has a row \"" + e.getKey() + "\" that is not "
                        + "an object of {next id: probability}.");
            }
            Map<Integer, Double> row = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> jt = e.getValue().fields(); jt.hasNext(); ) {
                Map.Entry<String, JsonNode> f = jt.next();
                if (!f.getValue().isNumber()) {
                    throw new AtelierException("The bigram model " + file + " gives token " + f.getKey() + " after "
                            + e.getKey() + " the non-numeric weight " + f.getValue() + ". Use a number.");
                }
                row.put(parseId(f.getKey(), file), f.getValue().asDouble());
            }
            next.put(prev, row);
        }
        return new BigramModel(vocab, eos, pad, floorNode.asDouble(), next);
    }

    private static int intField(JsonNode root, String name, Path file) {
        JsonNode n = root.get(name);
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new AtelierException("The bigram model " + file + " has no integer \"" + name + "\". Add the token id.");
        }
        return n.asInt();
    }

    private static int parseId(String s, Path file) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new AtelierException("The bigram model " + file + " uses \"" + s + "\" as a token id; ids in \"next\" "
                    + "must be integers written as strings, e.g. \"3\".");
        }
    }

    /**
     * A random bigram model for benchmarks: words {@code w2 … w(V-1)} after {@code <eos>} (0) and {@code <pad>}
     * (1); every row lists {@code fanOut} random next words with Zipf weights 1/rank and EOS with weight 0.05.
     *
     * @param vocabSize V, at least 3
     * @param fanOut words listed per row
     * @param seed random seed (the same seed gives the same model)
     * @return the model
     */
    public static BigramModel random(int vocabSize, int fanOut, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        List<String> vocab = new ArrayList<>(vocabSize);
        vocab.add("<eos>");
        vocab.add("<pad>");
        for (int i = 2; i < vocabSize; i++) {
            vocab.add("w" + i);
        }
        Map<Integer, Map<Integer, Double>> next = new HashMap<>();
        for (int prev = 0; prev < vocabSize; prev++) {
            Map<Integer, Double> row = new HashMap<>();
            for (int r = 0; r < fanOut; r++) {
                row.merge(2 + rnd.nextInt(vocabSize - 2), 1.0 / (r + 1), Double::sum);
            }
            row.put(0, 0.05);
            next.put(prev, row);
        }
        return new BigramModel(vocab, 0, 1, 1e-7, next);
    }

    /** @return the vocabulary; the token id is the index */
    public List<String> vocab() {
        return vocab;
    }

    /** @return a word-level tokenizer over this vocabulary */
    public Tokenizer tokenizer() {
        return new WordTokenizer(vocab);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public int padId() {
        return pad;
    }

    /**
     * @param prev the previous token id
     * @return the shared log-probability row of the next token (do not modify)
     */
    public float[] logProbsAfter(int prev) {
        float[] row = rows.get(prev);
        if (row == null) {
            row = computeRow(prev);
            rows.set(prev, row);
        }
        return row;
    }

    private float[] computeRow(int prev) {
        int v = vocab.size();
        // float32 logits, then log-softmax in float32 with PyTorch's CPU order of operations (x − max − log Σ
        // exp(x − max), the sum in 16-lane vector order), so that hf mode reproduces transformers bit for bit.
        float[] x = new float[v];
        Arrays.fill(x, (float) Math.log(floor));
        if (nextIds[prev] != null) {
            for (int i = 0; i < nextIds[prev].length; i++) {
                x[nextIds[prev][i]] = (float) Math.log(nextProbs[prev][i]);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float f : x) {
            max = Math.max(max, f);
        }
        float[] shifted = new float[v];
        float[] e = new float[v];
        for (int i = 0; i < v; i++) {
            shifted[i] = x[i] - max;
            e[i] = expf(shifted[i]);
        }
        float logSum = logf(vectorSum(e));
        float[] row = new float[v];
        for (int i = 0; i < v; i++) {
            row[i] = shifted[i] - logSum;
        }
        return row;
    }

    /**
     * exp in float32 as PyTorch's vectorised CPU kernels compute it (SLEEF's 1-ULP {@code expf} with fused
     * multiply-adds), so that log-probabilities match libtorch bit for bit; plain {@code Math.exp} differs in the
     * last bit for a few inputs.
     */
    static float expf(float d) {
        if (Float.isNaN(d)) {
            return Float.NaN;
        }
        if (d > 100f) {
            return Float.POSITIVE_INFINITY;
        }
        if (d < -104f) {
            return 0f;
        }
        int q = (int) Math.rint(d * 1.442695040888963407359924681001892137426645954152985934135449406931f);
        float s = Math.fma((float) q, -0.693145751953125f, d);
        s = Math.fma((float) q, -1.428606765330187045e-06f, s);
        float u = 0.000198527617612853646278381f;
        u = Math.fma(u, s, 0.00139304355252534151077271f);
        u = Math.fma(u, s, 0.00833336077630519866943359f);
        u = Math.fma(u, s, 0.0416664853692054748535156f);
        u = Math.fma(u, s, 0.166666671633720397949219f);
        u = Math.fma(u, s, 0.5f);
        u = 1.0f + Math.fma(s * s, u, s);
        return u * Math.scalb(1f, q >> 1) * Math.scalb(1f, q - (q >> 1));
    }

    /**
     * log in float32 as PyTorch's AVX-512 kernels compute it (SLEEF's 1-ULP {@code logf}, double-float
     * arithmetic with fused multiply-adds); used for the log of the softmax normaliser, a number {@code >= 1}.
     */
    static float logf(float d) {
        if (!(d > 0f) || Float.isInfinite(d)) {
            return d == 0f ? Float.NEGATIVE_INFINITY : d > 0f ? d : Float.NaN;
        }
        float scaled = d * (1.0f / 0.75f);
        float e = Math.getExponent(scaled);
        float f = d / Math.scalb(1f, Math.getExponent(d)); // mantissa in [1, 2), exact
        float m = f >= 1.5f ? f * 0.5f : f;                 // normalised to [0.75, 1.5)
        float[] s = dfMul(0.69314718246459960938f, -1.904654323148236017e-09f, e);
        float[] num = twoSum(-1f, m);
        float[] den = twoSum(1f, m);
        float[] x = dfDiv(num[0], num[1], den[0], den[1]);
        float x2 = x[0] * x[0];
        float t = Math.fma(0.3027294874e+0f, x2, 0.3996108174e+0f);
        t = Math.fma(t, x2, 0.6666694880e+0f);
        s = dfAdd(s[0], s[1], x[0] * 2f, x[1] * 2f);
        float y = (x2 * x[0]) * t;
        float sx = s[0] + y;
        float sy = ((s[0] - sx) + y) + s[1];
        return sx + sy;
    }

    private static float[] twoSum(float a, float b) {
        float s = a + b;
        float v = s - a;
        return new float[] {s, (a - (s - v)) + (b - v)};
    }

    private static float[] dfMul(float xh, float xl, float y) {
        float s = xh * y;
        return new float[] {s, Math.fma(xl, y, Math.fma(xh, y, -s))};
    }

    private static float[] dfDiv(float nh, float nl, float dh, float dl) {
        float t = 1.0f / dh;
        float s = nh * t;
        float u = Math.fma(t, nh, -s);
        float v = Math.fma(-dl, t, Math.fma(-dh, t, 1f));
        return new float[] {s, Math.fma(s, v, Math.fma(nl, t, u))};
    }

    private static float[] dfAdd(float xh, float xl, float yh, float yl) {
        float s = xh + yh;
        return new float[] {s, (((xh - s) + yh) + xl) + yl};
    }

    /** Σ e in the order of PyTorch's 16-lane {@code map_reduce_all}: lane-wise, then a pairwise tree. */
    private static float vectorSum(float[] e) {
        final int lanes = 16;
        int n = e.length;
        if (n < lanes) {
            float s = e[0];
            for (int i = 1; i < n; i++) {
                s += e[i];
            }
            return s;
        }
        float[] acc = Arrays.copyOf(e, lanes);
        int d = lanes;
        for (; d < n - n % lanes; d += lanes) {
            for (int l = 0; l < lanes; l++) {
                acc[l] += e[d + l];
            }
        }
        for (int l = 0; d + l < n; l++) {
            acc[l] += e[d + l];
        }
        for (int width = lanes / 2; width >= 1; width /= 2) {
            float[] next = new float[lanes];
            for (int l = 0; l < lanes; l++) {
                next[l] = acc[l] + acc[l ^ width];
            }
            acc = next;
        }
        return acc[0];
    }

    @Override
    public Decoder start(int[][] prompts) {
        int[] last = new int[prompts.length];
        for (int i = 0; i < prompts.length; i++) {
            if (prompts[i].length == 0) {
                throw new AtelierException("An empty prompt reached the bigram model; give at least one word.");
            }
            last[i] = prompts[i][prompts[i].length - 1];
        }
        return new BigramDecoder(last);
    }

    private final class BigramDecoder implements Decoder {
        private int[] last;

        BigramDecoder(int[] last) {
            this.last = last;
        }

        @Override
        public float[][] logProbs() {
            float[][] out = new float[last.length][];
            for (int i = 0; i < last.length; i++) {
                out[i] = logProbsAfter(last[i]);
            }
            return out;
        }

        @Override
        public void advance(int[] parents, int[] tokens) {
            last = tokens.clone();
        }

        @Override
        public Decoder branch(int[] parents, int[] tokens) {
            return new BigramDecoder(tokens.clone());
        }
    }

    /** Splits on whitespace into vocabulary words; an unknown word is an error naming it. */
    static final class WordTokenizer implements Tokenizer {
        private final List<String> vocab;
        private final Map<String, Integer> ids = new HashMap<>();

        WordTokenizer(List<String> vocab) {
            this.vocab = vocab;
            for (int i = 0; i < vocab.size(); i++) {
                if (ids.putIfAbsent(vocab.get(i), i) != null) {
                    throw new AtelierException("The bigram model lists the word \"" + vocab.get(i) + "\" twice in its "
                            + "vocabulary; each word must appear once.");
                }
            }
        }

        @Override
        public int[] encodePrompt(String text) {
            return encode(text, "prompt");
        }

        @Override
        public int[] encodePhrase(String phrase) {
            return encode(phrase, "phrase");
        }

        private int[] encode(String text, String what) {
            String t = text == null ? "" : text.strip();
            if (t.isEmpty()) {
                throw new AtelierException("The " + what + " is empty. Give at least one word of the model's vocabulary.");
            }
            String[] words = t.split("\\s+");
            int[] out = new int[words.length];
            for (int i = 0; i < words.length; i++) {
                Integer id = ids.get(words[i]);
                if (id == null) {
                    throw new AtelierException("Unknown word \"" + words[i] + "\" in the " + what + " \"" + t + "\": the "
                            + "model's vocabulary does not contain it. Use only vocabulary words (" + preview() + ").");
                }
                out[i] = id;
            }
            return out;
        }

        private String preview() {
            int n = Math.min(vocab.size(), 20);
            String s = String.join(", ", vocab.subList(0, n));
            return vocab.size() > n ? s + ", … " + vocab.size() + " words" : s;
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(id >= 0 && id < vocab.size() ? vocab.get(id) : "<" + id + ">");
            }
            return sb.toString();
        }
    }
}
