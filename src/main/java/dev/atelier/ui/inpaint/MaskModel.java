package dev.atelier.ui.inpaint;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * An inpainting mask at the model's resolution (S×S, true = regenerate) with an undo stack of edits. A
 * brush stroke is a polyline of brush centres in mask coordinates (pixel (x, y) covers [x, x+1)×[y, y+1));
 * it paints (or, with the eraser, clears) every pixel whose centre lies within the brush radius of the
 * polyline: a disc for a click, a capsule for a drag. Strokes, invert and clear are each one undo step
 * (Scene Builder's job stack: each edit keeps the mask before and after it).
 */
public final class MaskModel {
    /** Undo steps kept; older ones are dropped. */
    public static final int MAX_UNDO = 200;

    private final int size;
    private boolean[] mask;
    private final Deque<Edit> undo = new ArrayDeque<>();
    private final Deque<Edit> redo = new ArrayDeque<>();
    private boolean[] strokeStart;
    private double lastX;
    private double lastY;
    private double radius;
    private boolean erase;
    private Runnable onChange = () -> { };

    private record Edit(boolean[] before, boolean[] after) {
    }

    /** @param size the model's side S */
    public MaskModel(int size) {
        this.size = size;
        this.mask = new boolean[size * size];
    }

    /** Called after every change of the mask (paint, undo, redo, invert, clear, reset). */
    public void setOnChange(Runnable onChange) {
        this.onChange = onChange;
    }

    /** @return S */
    public int size() {
        return size;
    }

    /** @return a copy of the mask, row-major, true = regenerate */
    public boolean[] mask() {
        return mask.clone();
    }

    /** @return whether pixel (x, y) is to be regenerated */
    public boolean get(int x, int y) {
        return mask[y * size + x];
    }

    /** @return the number of pixels to regenerate */
    public int count() {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /**
     * Starts a stroke and paints the brush disc at (x, y).
     *
     * @param x brush centre, in mask pixels
     * @param y brush centre, in mask pixels
     * @param radius brush radius, in mask pixels
     * @param erase true to clear (keep) instead of paint (regenerate)
     */
    public void beginStroke(double x, double y, double radius, boolean erase) {
        if (strokeStart != null) {
            endStroke();
        }
        strokeStart = mask.clone();
        this.radius = radius;
        this.erase = erase;
        lastX = x;
        lastY = y;
        stamp(x, y, x, y);
    }

    /** Continues the stroke to (x, y), painting the capsule from the previous point. */
    public void strokeTo(double x, double y) {
        if (strokeStart == null) {
            return;
        }
        stamp(lastX, lastY, x, y);
        lastX = x;
        lastY = y;
    }

    /** Ends the stroke; it becomes one undo step if it changed anything. */
    public void endStroke() {
        if (strokeStart == null) {
            return;
        }
        boolean[] before = strokeStart;
        strokeStart = null;
        record(before);
        onChange.run();
    }

    /** @return true while a stroke is in progress */
    public boolean stroking() {
        return strokeStart != null;
    }

    /** Swaps regenerate and keep everywhere (one undo step). */
    public void invert() {
        endStroke();
        boolean[] before = mask.clone();
        for (int i = 0; i < mask.length; i++) {
            mask[i] = !mask[i];
        }
        record(before);
        onChange.run();
    }

    /** Keeps every pixel (one undo step, if the mask was not already empty). */
    public void clear() {
        endStroke();
        boolean[] before = mask.clone();
        Arrays.fill(mask, false);
        record(before);
        onChange.run();
    }

    /** Replaces the mask and forgets the undo history (a new input image). */
    public void reset(boolean[] newMask) {
        if (newMask.length != mask.length) {
            throw new IllegalArgumentException("mask of " + newMask.length + " pixels, expected " + mask.length);
        }
        strokeStart = null;
        mask = newMask.clone();
        undo.clear();
        redo.clear();
        onChange.run();
    }

    /** @return true if there is an edit to undo */
    public boolean canUndo() {
        return !undo.isEmpty();
    }

    /** @return true if there is an undone edit to redo */
    public boolean canRedo() {
        return !redo.isEmpty();
    }

    /** Undoes the last edit (a stroke in progress is finished first). */
    public void undo() {
        endStroke();
        if (undo.isEmpty()) {
            return;
        }
        Edit e = undo.pop();
        redo.push(e);
        mask = e.before().clone();
        onChange.run();
    }

    /** Redoes the last undone edit. */
    public void redo() {
        endStroke();
        if (redo.isEmpty()) {
            return;
        }
        Edit e = redo.pop();
        undo.push(e);
        mask = e.after().clone();
        onChange.run();
    }

    private void record(boolean[] before) {
        if (Arrays.equals(before, mask)) {
            return;
        }
        undo.push(new Edit(before, mask.clone()));
        while (undo.size() > MAX_UNDO) {
            undo.removeLast();
        }
        redo.clear();
    }

    private void stamp(double ax, double ay, double bx, double by) {
        int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - radius));
        int x1 = Math.min(size - 1, (int) Math.ceil(Math.max(ax, bx) + radius));
        int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - radius));
        int y1 = Math.min(size - 1, (int) Math.ceil(Math.max(ay, by) + radius));
        boolean changed = false;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (distanceToSegment(x + 0.5, y + 0.5, ax, ay, bx, by) <= radius && mask[y * size + x] == erase) {
                    mask[y * size + x] = !erase;
                    changed = true;
                }
            }
        }
        if (changed) {
            onChange.run();
        }
    }

    /** @return the distance from point p to the segment ab */
    static double distanceToSegment(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
    }
}
