package dev.atelier.consistency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigmaScheduleTest {
    final Parameterization p = Parameterization.DEFAULT;

    @Test
    void defaultScheduleIsTheKarrasGridFromTDownToEpsilon() {
        assertArrayEquals(new double[] {80.0}, SigmaSchedule.forSteps(1, null, p));
        double mid = Math.pow((Math.pow(80, 1 / 7.0) + Math.pow(0.002, 1 / 7.0)) / 2, 7);
        double[] two = SigmaSchedule.forSteps(2, null, p);
        assertEquals(80.0, two[0]);
        assertEquals(mid, two[1], 1e-12);
        assertEquals(2.5, mid, 0.1);
        double[] s64 = SigmaSchedule.forSteps(64, null, p);
        assertEquals(64, s64.length);
        for (int i = 1; i < 64; i++) {
            assertTrue(s64[i] < s64[i - 1] && s64[i] > 0.002);
        }
    }

    @Test
    void tunedListsWinAndBadListsAreRefused() {
        Map<String, double[]> tuned = Map.of("2", new double[] {80.0, 0.821});
        assertArrayEquals(new double[] {80.0, 0.821}, SigmaSchedule.forSteps(2, tuned, p));
        assertThrows(AtelierException.class, () -> SigmaSchedule.forSteps(0, null, p));
        assertThrows(AtelierException.class, () -> SigmaSchedule.forSteps(65, null, p));
        assertThrows(AtelierException.class, () -> SigmaSchedule.forSteps(3, Map.of("3", new double[] {80, 1}), p));
        assertThrows(AtelierException.class, () -> SigmaSchedule.validate(new double[] {2.24, 5.38}, p));
        assertThrows(AtelierException.class, () -> SigmaSchedule.validate(new double[] {100}, p));
        assertThrows(AtelierException.class, () -> SigmaSchedule.validate(new double[] {1, 0.002}, p));
    }

    @Test
    void requestsRoundTripThroughAsciiJson() {
        SampleRequest s = new SampleRequest("modèle", 7, 4, List.of(80.0, 0.8), 3);
        String json = s.toJson();
        assertTrue(json.chars().allMatch(c -> c < 128), json);
        assertTrue(json.contains("\"task\":\"sample\"") && json.contains("\"class\":3"), json);
        assertEquals(s, GenerationRequest.fromJson(json));
        EditRequest e = new EditRequest("inpaint", "m", 1, 2, 2, List.of(80.0, 0.8), null, "a.png", "ab", "m.png",
                "cd", null, null, null, null);
        assertEquals(e, GenerationRequest.fromJson(e.toJson()));
        assertThrows(AtelierException.class, () -> GenerationRequest.fromJson("[1,2]"));
    }
}
