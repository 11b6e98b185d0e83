package dev.atelier.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl+C (or SIGTERM) into a polite stop: a shutdown hook sets {@link #requested()} and waits until
 * the training loop, which owns the native arrays, has written its checkpoint and called
 * {@link #finished()} (or the grace period passes). Close it when training ends normally.
 */
public final class StopSignal implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private StopSignal(long graceSeconds) {
        hook = new Thread(() -> {
            requested = true;
            try {
                done.await(graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "atelier-stop");
    }

    /**
     * Registers the shutdown hook.
     *
     * @param graceSeconds how long the JVM waits for the checkpoint before exiting anyway
     */
    public static StopSignal install(long graceSeconds) {
        StopSignal s = new StopSignal(graceSeconds);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** @return true once the process was asked to stop; the loop should checkpoint and return */
    public boolean requested() {
        return requested;
    }

    /** Asks for a stop from inside the process (used by tests to simulate an interrupt). */
    public void request() {
        requested = true;
    }

    /** Tells the waiting hook that the checkpoint is written. */
    public void finished() {
        done.countDown();
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running and has been released above
        }
    }
}
