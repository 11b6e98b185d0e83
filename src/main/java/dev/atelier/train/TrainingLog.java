package dev.atelier.train;

import dev.atelier.base.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The loss history of a training run: one CSV row per step ({@code step,loss,…}) appended as training
 * goes, and a PNG plot of the loss (raw values and a moving average, log scale) redrawn on request.
 * On resume the rows after the checkpoint's step are dropped, so the log matches the weights.
 * Drawing uses plain java.awt on a BufferedImage and works headless.
 */
public final class TrainingLog {
    private final Path csv;
    private final Path png;
    private final String[] columns;
    private final List<double[]> rows = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();

    /**
     * Opens (or starts) a log.
     *
     * @param csv the CSV file
     * @param png the plot file
     * @param columns value columns after {@code step}; the first is plotted
     * @param keepUpTo rows with a step above this are dropped (the resumed step), or -1 to start afresh
     */
    public TrainingLog(Path csv, Path png, long keepUpTo, String... columns) throws IOException {
        this.csv = csv;
        this.png = png;
        this.columns = columns.clone();
        StringBuilder text = new StringBuilder("step," + String.join(",", columns) + "\n");
        if (keepUpTo >= 0 && Files.isRegularFile(csv)) {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] parts = line.split(",");
                if (parts.length != columns.length + 1) {
                    continue;
                }
                double[] r = new double[parts.length];
                try {
                    for (int i = 0; i < parts.length; i++) {
                        r[i] = Double.parseDouble(parts[i]);
                    }
                } catch (NumberFormatException e) {
                    continue;
                }
                if (r[0] <= keepUpTo) {
                    rows.add(r);
                    text.append(line).append('\n');
                }
            }
        }
        AtomicFiles.write(csv, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Records one step; rows reach the file on {@link #flush()}. */
    public void append(long step, double... values) {
        double[] r = new double[values.length + 1];
        r[0] = step;
        System.arraycopy(values, 0, r, 1, values.length);
        rows.add(r);
        pending.append(step);
        for (double v : values) {
            pending.append(',').append(String.format(Locale.ROOT, "%.6g", v));
        }
        pending.append('\n');
    }

    /** Appends the recorded rows to the CSV. */
    public void flush() throws IOException {
        if (pending.length() == 0) {
            return;
        }
        Files.writeString(csv, pending, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        pending.setLength(0);
    }

    /** @return the number of rows, including those kept from before a resume */
    public int size() {
        return rows.size();
    }

    /** Flushes the CSV and redraws the plot PNG (atomically). */
    public void plot() throws IOException {
        flush();
        BufferedImage img = draw(rows, columns[0], 800, 450);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // no disk cache: it registers a shutdown hook, which fails when the plot is drawn on Ctrl+C
        ImageIO.setUseCache(false);
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(png, bytes.toByteArray());
    }

    /** Draws column 1 of {@code rows} against column 0, log-scaled, with a moving average. */
    static BufferedImage draw(List<double[]> rows, String label, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int left = 70;
        int right = 20;
        int top = 30;
        int bottom = 40;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, w - left - right, h - top - bottom);
        List<double[]> pts = new ArrayList<>();
        for (double[] r : rows) {
            if (r.length > 1 && r[1] > 0 && Double.isFinite(r[1])) {
                pts.add(new double[] {r[0], Math.log10(r[1])});
            }
        }
        g.drawString(label + " (log scale) vs step; dark line: moving average", left, top - 10);
        if (pts.size() < 2) {
            g.dispose();
            return img;
        }
        double x0 = pts.get(0)[0];
        double x1 = pts.get(pts.size() - 1)[0];
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (double[] p : pts) {
            y0 = Math.min(y0, p[1]);
            y1 = Math.max(y1, p[1]);
        }
        if (x1 <= x0) {
            x1 = x0 + 1;
        }
        if (y1 - y0 < 1e-9) {
            y1 = y0 + 1;
        }
        int pw = w - left - right;
        int ph = h - top - bottom;
        for (int k = 0; k <= 4; k++) {
            double yv = y0 + (y1 - y0) * k / 4;
            int yp = top + ph - (int) Math.round(ph * (yv - y0) / (y1 - y0));
            g.drawString(String.format(Locale.ROOT, "%.3g", Math.pow(10, yv)), 5, yp + 4);
            double xv = x0 + (x1 - x0) * k / 4;
            int xp = left + (int) Math.round(pw * (xv - x0) / (x1 - x0));
            g.drawString(String.format(Locale.ROOT, "%.0f", xv), xp - 15, h - bottom + 18);
        }
        int window = Math.max(1, pts.size() / 50);
        int[] xs = new int[pts.size()];
        int[] ys = new int[pts.size()];
        int[] ms = new int[pts.size()];
        double sum = 0;
        for (int i = 0; i < pts.size(); i++) {
            double[] p = pts.get(i);
            sum += p[1];
            if (i >= window) {
                sum -= pts.get(i - window)[1];
            }
            double avg = sum / Math.min(i + 1, window);
            xs[i] = left + (int) Math.round(pw * (p[0] - x0) / (x1 - x0));
            ys[i] = top + ph - (int) Math.round(ph * (p[1] - y0) / (y1 - y0));
            ms[i] = top + ph - (int) Math.round(ph * (avg - y0) / (y1 - y0));
        }
        g.setColor(new Color(150, 180, 230));
        g.drawPolyline(xs, ys, xs.length);
        g.setColor(new Color(20, 40, 140));
        g.setStroke(new BasicStroke(2f));
        g.drawPolyline(xs, ms, xs.length);
        g.dispose();
        return img;
    }
}
