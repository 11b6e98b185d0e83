package dev.atelier.consistency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.AtelierException;
import dev.atelier.base.ModelManifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EditScheduleTest {
    final Parameterization p = Parameterization.DEFAULT;

    @Test
    void resampleRepeatsEveryLevelAfterTheFirst() {
        assertArrayEquals(new double[] {80, 5, 5, 1.5, 1.5, 0.5, 0.5},
                new EditSchedule(List.of(80.0, 5.0, 1.5, 0.5), 1).expanded(p));
        assertArrayEquals(new double[] {80, 10, 2, 0.5}, new EditSchedule(List.of(80.0, 10.0, 2.0, 0.5), null).expanded(p));
        assertArrayEquals(new double[] {5.38}, new EditSchedule(List.of(5.38), 3).expanded(p));
        assertThrows(AtelierException.class, () -> new EditSchedule(List.of(2.0, 5.0), 0).expanded(p));
        assertArrayEquals(new double[] {80, 10, 2, 2, 0.5},
                new EditSchedule(List.of(80.0, 10.0, 2.0, 2.0, 0.5), null).expanded(p), "a repeat written out");
        assertThrows(AtelierException.class, () -> new EditSchedule(List.of(), 0).expanded(p));
        assertThrows(AtelierException.class, () -> new EditSchedule(List.of(80.0, 1.0), -1).expanded(p));
        assertThrows(AtelierException.class, () -> new EditSchedule(List.of(80.0, 1.0), 9).expanded(p));
        assertThrows(AtelierException.class, () -> new EditSchedule(List.of(81.0, 1.0), 0).expanded(p));
    }

    @Test
    void aTaskWithoutATunedEntryUsesTheSamplingScheduleOrSdeditsLevels() {
        double[] sampling = {80, 0.8};
        Map<String, ModelManifest.EditEntry> tuned = Map.of("inpaint", new ModelManifest.EditEntry(List.of(80.0, 2.0), 1, null));
        assertArrayEquals(new double[] {80, 2, 2}, EditSchedule.forTask(EditTask.INPAINT, tuned, sampling, p));
        assertArrayEquals(sampling, EditSchedule.forTask(EditTask.SUPERRES, tuned, sampling, p));
        assertArrayEquals(sampling, EditSchedule.forTask(EditTask.INPAINT, null, sampling, p), "an old manifest");
        assertArrayEquals(ConsistencyEngine.STROKE_SIGMAS, EditSchedule.forTask(EditTask.STROKE, null, sampling, p));
    }
}
