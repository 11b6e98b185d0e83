package dev.atelier.ui.inpaint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskModelTest {
    /** Pixels whose centre is within r of (cx, cy), by the circle equation. */
    static boolean[] disc(int size, double cx, double cy, double r) {
        boolean[] m = new boolean[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                m[y * size + x] = dx * dx + dy * dy <= r * r;
            }
        }
        return m;
    }

    @Test
    void aClickPaintsTheDiscOfPixelCentresWithinTheRadius() {
        MaskModel m = new MaskModel(28);
        m.beginStroke(10.3, 12.8, 3.5, false);
        m.endStroke();
        assertArrayEquals(disc(28, 10.3, 12.8, 3.5), m.mask());
        // r = 3.5 around a pixel centre: 37 pixels (the lattice points with dx² + dy² ≤ 12.25)
        MaskModel c = new MaskModel(28);
        c.beginStroke(14.5, 14.5, 3.5, false);
        c.endStroke();
        assertEquals(37, c.count());
    }

    @Test
    void aHorizontalDragPaintsTheCapsule() {
        MaskModel m = new MaskModel(28);
        m.beginStroke(5.5, 10.5, 2, false);
        m.strokeTo(12.5, 10.5);
        m.strokeTo(20.5, 10.5);
        m.endStroke();
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                boolean inBand = px >= 5.5 && px <= 20.5 && Math.abs(py - 10.5) <= 2;
                boolean inCaps = Math.hypot(px - 5.5, py - 10.5) <= 2 || Math.hypot(px - 20.5, py - 10.5) <= 2;
                assertEquals(inBand || inCaps, m.get(x, y), "pixel " + x + "," + y);
            }
        }
        assertFalse(m.stroking());
    }

    @Test
    void eraserInvertClearAndTheUndoRedoStack() {
        MaskModel m = new MaskModel(16);
        boolean[] empty = new boolean[256];
        m.beginStroke(8, 8, 4, false);
        m.endStroke();
        boolean[] painted = m.mask();
        m.beginStroke(8, 8, 2, true);
        m.endStroke();
        boolean[] erased = m.mask();
        boolean[] expected = disc(16, 8, 8, 4);
        boolean[] hole = disc(16, 8, 8, 2);
        for (int i = 0; i < expected.length; i++) {
            expected[i] &= !hole[i];
        }
        assertArrayEquals(expected, erased);
        m.invert();
        for (int i = 0; i < 256; i++) {
            assertEquals(!erased[i], m.get(i % 16, i / 16));
        }
        m.clear();
        assertEquals(0, m.count());

        m.undo();
        m.undo();
        assertArrayEquals(erased, m.mask());
        m.undo();
        assertArrayEquals(painted, m.mask());
        m.undo();
        assertArrayEquals(empty, m.mask());
        assertFalse(m.canUndo());
        m.redo();
        m.redo();
        assertArrayEquals(erased, m.mask());

        // a new edit after an undo drops the redo branch
        m.undo();
        m.beginStroke(1, 1, 1, false);
        m.endStroke();
        assertFalse(m.canRedo());
        m.undo();
        assertArrayEquals(painted, m.mask());
    }

    @Test
    void editsThatChangeNothingAreNotUndoSteps() {
        MaskModel m = new MaskModel(8);
        m.clear();
        m.beginStroke(4, 4, 1, true);
        m.endStroke();
        assertFalse(m.canUndo());
        m.beginStroke(4, 4, 1, false);
        m.endStroke();
        assertTrue(m.canUndo());
    }

    @Test
    void theStackKeepsTheLatestSteps() {
        MaskModel m = new MaskModel(8);
        for (int i = 0; i < MaskModel.MAX_UNDO + 5; i++) {
            m.invert();
        }
        int undone = 0;
        while (m.canUndo()) {
            m.undo();
            undone++;
        }
        assertEquals(MaskModel.MAX_UNDO, undone);
    }

    @Test
    void colourStrokesPaintTheStrokeLayerAndShareTheUndoStackWithTheMask() {
        MaskModel m = new MaskModel(16);
        m.beginStroke(4, 4, 2, false); // mask
        m.endStroke();
        boolean[] mask = m.mask();
        m.beginColourStroke(10.5, 10.5, 2, 0x808080, false);
        m.endStroke();
        boolean[] grey = disc(16, 10.5, 10.5, 2);
        for (int i = 0; i < 256; i++) {
            assertEquals(grey[i] ? 0xff808080 : 0, m.paint()[i], "pixel " + i);
        }
        assertArrayEquals(mask, m.mask(), "a colour stroke leaves the mask alone");
        // a second colour over part of it, then the eraser removes paint where it passes
        m.beginColourStroke(12.5, 10.5, 1, 0x000000, false);
        m.endStroke();
        assertEquals(0xff000000, m.paintAt(12, 10), "black is paint too (0 means none)");
        int[] twoColours = m.paint();
        m.beginColourStroke(10.5, 10.5, 1, 0x808080, true);
        m.endStroke();
        boolean[] hole = disc(16, 10.5, 10.5, 1);
        for (int i = 0; i < 256; i++) {
            assertEquals(hole[i] ? 0 : twoColours[i], m.paint()[i], "pixel " + i);
        }
        m.clearPaint();
        assertEquals(0, m.paintCount());
        assertArrayEquals(mask, m.mask());

        // one stack, in order: clear, erase, second colour, first colour, mask
        m.undo();
        assertEquals(twoColours.length, m.paint().length);
        m.undo();
        assertArrayEquals(twoColours, m.paint());
        m.undo();
        m.undo();
        assertEquals(0, m.paintCount());
        assertArrayEquals(mask, m.mask());
        m.undo();
        assertEquals(0, m.count());
        m.redo();
        m.redo();
        assertArrayEquals(mask, m.mask());
        assertEquals(grey.length, m.paint().length);
        for (int i = 0; i < 256; i++) {
            assertEquals(grey[i] ? 0xff808080 : 0, m.paint()[i], "redone pixel " + i);
        }
        // a new input forgets the paint with the rest
        m.reset(new boolean[256]);
        assertEquals(0, m.paintCount());
        assertFalse(m.canUndo());
    }
}
