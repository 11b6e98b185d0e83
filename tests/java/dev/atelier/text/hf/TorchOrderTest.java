package dev.atelier.text.hf;

import dev.atelier.text.BigramModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Tie order of torch.topk / torch.sort, against indices recorded from PyTorch itself. */
class TorchOrderTest {
    @Test
    void matchesPyTorchOnVectorsWithTies() throws Exception {
        JsonNode root = new ObjectMapper().readTree(Files.readString(Path.of("tests/resources/text/torch-tie-order.json")));
        for (JsonNode c : root.get("cases")) {
            float[] v = new float[c.get("values").size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) c.get("values").get(i).asDouble();
            }
            int[] topk = new ObjectMapper().convertValue(c.get("topk"), int[].class);
            int[] sort = new ObjectMapper().convertValue(c.get("sortDescending"), int[].class);
            assertArrayEquals(topk, TorchOrder.topk(v, c.get("k").asInt()), "topk " + c);
            assertArrayEquals(sort, TorchOrder.sortDescending(v), "sort " + c);
        }
    }

    @Test
    void bigramLogSoftmaxMatchesLibtorchBitForBit() {
        // torch.log_softmax(torch.tensor(row), -1) of the toy model's row after "The", recorded as float bits
        BigramModel m = BigramModel.read(HfParityTest.TOY);
        float[] row = m.logProbsAfter(1);
        int[] expected = ROW_AFTER_THE;
        int[] got = new int[row.length];
        for (int i = 0; i < row.length; i++) {
            got[i] = Float.floatToIntBits(row[i]);
        }
        assertArrayEquals(expected, got);
    }

    static final int[] ROW_AFTER_THE = {-1072472682, -1050866600, -1090337383, -1069565412, -1069565412, -1072472682, -1072472682, -1050866600};
}
