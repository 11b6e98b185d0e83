package dev.atelier.ui.inpaint;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * What the user paints on the input, at the model's resolution (S×S), with one undo stack for all of it:
 * the inpainting mask (true = regenerate) and the stroke layer of stroke-guided editing (a colour per
 * pixel painted over the input, 0 = not painted). A brush stroke is a polyline of brush centres in model
 * coordinates (pixel (x, y) covers [x, x+1)×[y, y+1)); it changes every pixel whose centre lies within the
 * brush radius of the polyline: a disc for a click, a capsule for a drag. A mask stroke paints (or, with the
 * eraser, clears) the mask; a colour stroke paints its colour (or, with the eraser, removes paint). Strokes,
 * invert and clear are each one undo step (each keeps both layers before and after it).
 */
public final class MaskModel {
    /** Undo steps kept; older ones are dropped. */
    public static final int MAX_UNDO = 200;

    private final int size;
    private boolean[] mask;
    private int[] paint;
    private final Deque<Step> undo = new ArrayDeque<>();
    private final Deque<Step> redo = new ArrayDeque<>();
    private Layers strokeStart;
    private double lastX;
    private double lastY;
    private double radius;
    private boolean erase;
    /** The colour a stroke paints (0xffRRGGBB), or 0 for a mask stroke. */
    private int colour;
    private Runnable onChange = () -> { };

    /** Both layers at one moment (a stroke's start, or one side of an undo step). */
    private record Layers(boolean[] mask, int[] paint) {
    }

    /** One undo step: both layers before and after it. */
    private record Step(Layers before, Layers after) {
    }

    /** @param size the model's side S */
    public MaskModel(int size) {
        this.size = size;
        this.mask = new boolean[size * size];
        this.paint = new int[size * size];
    }

    /** Called after every change of either layer (paint, undo, redo, invert, clear, reset). */
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

    /** @return a copy of the stroke layer, row-major: 0xffRRGGBB where painted, 0 elsewhere */
    public int[] paint() {
        return paint.clone();
    }

    /** @return the colour painted at pixel (x, y) (0xffRRGGBB), or 0 if none */
    public int paintAt(int x, int y) {
        return paint[y * size + x];
    }

    /** @return the number of pixels with paint on them */
    public int paintCount() {
        int n = 0;
        for (int c : paint) {
            n += c != 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * Starts a mask stroke and paints the brush disc at (x, y).
     *
     * @param x brush centre, in model pixels
     * @param y brush centre, in model pixels
     * @param radius brush radius, in model pixels
     * @param erase true to clear (keep) instead of paint (regenerate)
     */
    public void beginStroke(double x, double y, double radius, boolean erase) {
        begin(x, y, radius, erase, 0);
    }

    /**
     * Starts a colour stroke on the stroke layer and paints the brush disc at (x, y).
     *
     * @param rgb the colour, 0xRRGGBB (grey levels have R = G = B)
     * @param erase true to remove paint (the input shows again) instead of painting
     */
    public void beginColourStroke(double x, double y, double radius, int rgb, boolean erase) {
        begin(x, y, radius, erase, 0xff000000 | rgb);
    }

    private void begin(double x, double y, double radius, boolean erase, int colour) {
        if (strokeStart != null) {
            endStroke();
        }
        strokeStart = snapshot();
        this.radius = radius;
        this.erase = erase;
        this.colour = colour;
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
        Layers before = strokeStart;
        strokeStart = null;
        record(before);
        onChange.run();
    }

    /** @return true while a stroke is in progress */
    public boolean stroking() {
        return strokeStart != null;
    }

    /** Swaps regenerate and keep everywhere in the mask (one undo step). */
    public void invert() {
        endStroke();
        Layers before = snapshot();
        for (int i = 0; i < mask.length; i++) {
            mask[i] = !mask[i];
        }
        record(before);
        onChange.run();
    }

    /** Keeps every pixel (one undo step, if the mask was not already empty). */
    public void clear() {
        endStroke();
        Layers before = snapshot();
        Arrays.fill(mask, false);
        record(before);
        onChange.run();
    }

    /** Removes all paint from the stroke layer (one undo step, if there was any). */
    public void clearPaint() {
        endStroke();
        Layers before = snapshot();
        Arrays.fill(paint, 0);
        record(before);
        onChange.run();
    }

    /** Replaces the mask, removes all paint and forgets the undo history (a new input image). */
    public void reset(boolean[] newMask) {
        if (newMask.length != mask.length) {
            throw new IllegalArgumentException("mask of " + newMask.length + " pixels, expected " + mask.length);
        }
        strokeStart = null;
        mask = newMask.clone();
        paint = new int[paint.length];
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
        Step e = undo.pop();
        redo.push(e);
        restore(e.before());
        onChange.run();
    }

    /** Redoes the last undone edit. */
    public void redo() {
        endStroke();
        if (redo.isEmpty()) {
            return;
        }
        Step e = redo.pop();
        undo.push(e);
        restore(e.after());
        onChange.run();
    }

    private Layers snapshot() {
        return new Layers(mask.clone(), paint.clone());
    }

    private void restore(Layers state) {
        mask = state.mask().clone();
        paint = state.paint().clone();
    }

    /** Pushes the undo step from {@code before} to now, if anything changed. */
    private void record(Layers before) {
        if (Arrays.equals(before.mask(), mask) && Arrays.equals(before.paint(), paint)) {
            return;
        }
        undo.push(new Step(before, snapshot()));
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
                if (distanceToSegment(x + 0.5, y + 0.5, ax, ay, bx, by) > radius) {
                    continue;
                }
                int i = y * size + x;
                if (colour == 0 && mask[i] == erase) {
                    mask[i] = !erase;
                    changed = true;
                } else if (colour != 0 && paint[i] != (erase ? 0 : colour)) {
                    paint[i] = erase ? 0 : colour;
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
