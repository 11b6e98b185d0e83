package dev.atelier.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for long loops: step, iterations per second (over the recent window), ETA and a free
 * text such as the loss. On a terminal it rewrites one line; otherwise (a log file) it prints a new
 * line at most every {@code interval} seconds.
 */
public final class ProgressLine {
    private final PrintStream out;
    private final long total;
    private final boolean terminal;
    private final double intervalSeconds;
    private long lastPrintNanos;
    private long windowStep;
    private long windowNanos;
    private double rate = Double.NaN;

    /**
     * @param out where to print, usually stderr
     * @param firstStep the step the run starts at (after a resume, the resumed step)
     * @param total the last step
     * @param intervalSeconds seconds between lines when not on a terminal
     */
    public ProgressLine(PrintStream out, long firstStep, long total, double intervalSeconds) {
        this.out = out;
        this.total = total;
        this.terminal = System.console() != null;
        this.intervalSeconds = intervalSeconds;
        this.windowStep = firstStep;
        this.windowNanos = System.nanoTime();
        this.lastPrintNanos = windowNanos;
    }

    /** @return iterations per second measured so far, NaN before the first window */
    public double rate() {
        return rate;
    }

    /** Reports that {@code step} steps are done; prints when due. */
    public void update(long step, String text) {
        long now = System.nanoTime();
        double sinceWindow = (now - windowNanos) / 1e9;
        if (sinceWindow >= 5 && step > windowStep) {
            double r = (step - windowStep) / sinceWindow;
            rate = Double.isNaN(rate) ? r : 0.7 * rate + 0.3 * r;
            windowStep = step;
            windowNanos = now;
        }
        boolean due = terminal ? (now - lastPrintNanos) / 1e9 >= 0.5 : (now - lastPrintNanos) / 1e9 >= intervalSeconds;
        if (due || step >= total) {
            lastPrintNanos = now;
            String line = format(step, text);
            if (terminal) {
                out.print("\r" + line + "   ");
                if (step >= total) {
                    out.println();
                }
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    /** @return e.g. "step 1200/30000  1.52 it/s  ETA 5h16m  loss 0.0123" */
    public String format(long step, String text) {
        String r = Double.isNaN(rate) ? "– it/s" : String.format(Locale.ROOT, "%.2f it/s", rate);
        String eta = Double.isNaN(rate) || rate <= 0 ? "ETA –" : "ETA " + duration((total - step) / rate);
        return String.format(Locale.ROOT, "step %d/%d  %s  %s  %s", step, total, r, eta, text == null ? "" : text);
    }

    /** @return seconds as e.g. "1h05m", "3m20s" or "42s" */
    public static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
