package dev.atelier.runtime;

import dev.atelier.AtelierException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single worker thread that owns every DJL model, NDManager and Predictor (DJL predictors are not
 * thread-safe), and the {@link ModelCache} of loaded models. Jobs run one at a time in submission order; a
 * job that throws fails alone and the lane goes on. Submitting a job while one of the same owner and kind is
 * still queued (not yet running) replaces it, so a dragged slider never builds a backlog. Progress and partial
 * results are coalesced: a listener that lags behind sees the newest.
 */
public final class InferenceLane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceLane.class);

    private final Deque<Entry<?, ?>> queue = new ArrayDeque<>();
    private final ModelCache models;
    private final Thread worker;
    private boolean closed;
    private volatile Entry<?, ?> running;

    /** Starts the worker thread (a daemon, so an open lane never keeps the JVM alive) with the default cache. */
    public InferenceLane() {
        this(ModelCache.DEFAULT_BUDGET);
    }

    /** @param cacheBudgetBytes the model cache's memory budget */
    public InferenceLane(long cacheBudgetBytes) {
        models = new ModelCache(cacheBudgetBytes);
        worker = new Thread(this::loop, "atelier-inference");
        worker.setDaemon(true);
        worker.start();
    }

    /** @return the lane's model cache (use it from lane jobs only, through {@link JobContext#models()}) */
    public ModelCache models() {
        return models;
    }

    /**
     * Queues a job.
     *
     * @param owner who submits it: cancel and failures belong to it
     * @param kind a queued job of the same owner and kind is replaced by this one
     * @param job the work, run on the worker thread
     * @param callbacks where the listener's methods run ({@code Platform::runLater} in the UI)
     * @param listener receives progress, partial results and the outcome; may be null
     * @return a handle to cancel or await the job
     */
    public <T, P> JobHandle<T> submit(JobOwner owner, JobKind kind, Job<T, P> job, Executor callbacks,
            JobListener<T, P> listener) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(callbacks, "callbacks");
        Entry<T, P> entry = new Entry<>(owner, kind, job, callbacks, listener);
        Entry<?, ?> replaced = null;
        synchronized (queue) {
            if (closed) {
                throw new IllegalStateException("the inference lane is closed");
            }
            for (Iterator<Entry<?, ?>> it = queue.iterator(); it.hasNext(); ) {
                Entry<?, ?> e = it.next();
                if (e.kind == kind && e.owner.equals(owner)) {
                    it.remove();
                    replaced = e;
                    break;
                }
            }
            queue.addLast(entry);
            queue.notifyAll();
        }
        if (replaced != null) {
            replaced.finishCancelled();
        }
        return entry;
    }

    /**
     * Runs a job on the lane and waits for it: for the command line and tests, never the FX thread.
     * Callbacks run on the lane thread, so none is coalesced away.
     *
     * @return the job's result
     * @throws AtelierException, or the job's own runtime exception, if it failed
     */
    public <T, P> T run(JobOwner owner, JobKind kind, Job<T, P> job, JobListener<T, P> listener) {
        if (Thread.currentThread() == worker) {
            throw new IllegalStateException("run() called from the lane's own thread would deadlock");
        }
        try {
            return submit(owner, kind, job, Runnable::run, listener).result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new AtelierException(describe(cause), cause);
        }
    }

    /** @return true when called on the worker thread */
    public boolean isLaneThread() {
        return Thread.currentThread() == worker;
    }

    /** Cancels the running job and every queued one of {@code owner} (Esc in a panel). */
    public void cancel(JobOwner owner) {
        cancelWhere(owner);
    }

    /** Cancels the running job and every queued one, whoever owns them. */
    public void cancelAll() {
        cancelWhere(null);
    }

    private void cancelWhere(JobOwner owner) {
        List<Entry<?, ?>> pending = new ArrayList<>();
        synchronized (queue) {
            for (Iterator<Entry<?, ?>> it = queue.iterator(); it.hasNext(); ) {
                Entry<?, ?> e = it.next();
                if (owner == null || e.owner.equals(owner)) {
                    it.remove();
                    pending.add(e);
                }
            }
        }
        for (Entry<?, ?> e : pending) {
            e.finishCancelled();
        }
        Entry<?, ?> r = running;
        if (r != null && (owner == null || r.owner.equals(owner))) {
            r.cancel();
        }
    }

    /**
     * Cancels everything, stops the worker after its current job and closes the cached models on the worker
     * thread (waiting a few seconds for it when called from another thread).
     */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.notifyAll();
        }
        cancelAll();
        if (Thread.currentThread() != worker) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        try {
            while (true) {
                Entry<?, ?> next;
                synchronized (queue) {
                    while (queue.isEmpty() && !closed) {
                        try {
                            queue.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (closed) {
                        return;
                    }
                    next = queue.removeFirst();
                    running = next;
                }
                try {
                    next.execute();
                } finally {
                    running = null;
                }
            }
        } finally {
            models.close();
        }
    }

    /**
     * A one-paragraph message for any error a job can throw: the user-facing message of an
     * {@link AtelierException}, or the kind of failure and what to try for anything else. Inputs are named in
     * plain words; see {@link #describe(Throwable, UnaryOperator)}.
     */
    public static String describe(Throwable t) {
        return describe(t, AtelierException::words);
    }

    /**
     * @param names each front end's name for an input key (the command line's flags, the studio's labels)
     * @return {@link #describe(Throwable)} with inputs named by {@code names}
     */
    public static String describe(Throwable t, UnaryOperator<String> names) {
        if (t instanceof AtelierException a) {
            return a.message(names);
        }
        if (t instanceof OutOfMemoryError) {
            return "The job ran out of memory (" + t.getMessage() + "). Try a smaller batch or fewer steps, "
                    + "or start Atelier with more memory (-Xmx).";
        }
        if (t instanceof java.nio.file.InvalidPathException p) {
            return AtelierException.unusablePath(null, p);
        }
        String name = t.getClass().getSimpleName();
        String msg = t.getMessage() == null ? "" : ": " + firstLine(t.getMessage());
        String verbose = names.apply("verbose");
        if (name.contains("Engine") || t.getClass().getName().startsWith("ai.djl")) {
            return "The inference engine failed (" + name + msg + "). The job was stopped; the next one "
                    + "will run normally. Run with " + verbose + " or open the details for the full error.";
        }
        return "The job failed with " + name + msg + ". The next job will run normally; open the details "
                + "(or run with " + verbose + ") for the full error.";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private final class Entry<T, P> implements JobHandle<T>, JobContext<P> {
        private final JobOwner owner;
        private final JobKind kind;
        private final Job<T, P> job;
        private final Executor callbacks;
        private final JobListener<T, P> listener;
        private final boolean listens;
        private final CompletableFuture<T> future = new CompletableFuture<>();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicReference<Object[]> pendingProgress = new AtomicReference<>();
        private final AtomicReference<Object[]> pendingPartial = new AtomicReference<>();

        Entry(JobOwner owner, JobKind kind, Job<T, P> job, Executor callbacks, JobListener<T, P> listener) {
            this.owner = owner;
            this.kind = kind;
            this.job = job;
            this.callbacks = callbacks;
            this.listens = listener != null;
            this.listener = listener == null ? new JobListener<>() { } : listener;
        }

        @Override
        public JobOwner owner() {
            return owner;
        }

        @Override
        public JobKind kind() {
            return kind;
        }

        @Override
        public CompletableFuture<T> result() {
            return future;
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public ModelCache models() {
            return models;
        }

        @Override
        public boolean wantsPartials() {
            return listens;
        }

        @Override
        public void progress(double fraction, String message) {
            // Coalesce: only the newest value is delivered if the listener lags behind. Callbacks keep their
            // order on a serial executor, so progress and partials never arrive after the outcome.
            if (pendingProgress.getAndSet(new Object[] {fraction, message}) == null) {
                callbacks.execute(() -> {
                    Object[] p = pendingProgress.getAndSet(null);
                    if (p != null) {
                        listener.onProgress((Double) p[0], (String) p[1]);
                    }
                });
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void partial(P value) {
            if (!listens) {
                return;
            }
            if (pendingPartial.getAndSet(new Object[] {value}) == null) {
                callbacks.execute(() -> {
                    Object[] p = pendingPartial.getAndSet(null);
                    if (p != null) {
                        listener.onPartial((P) p[0]);
                    }
                });
            }
        }

        void execute() {
            if (cancelled.get()) {
                finishCancelled();
                return;
            }
            callbacks.execute(listener::onStarted);
            try {
                T value = job.run(this);
                if (cancelled.get()) {
                    finishCancelled();
                } else if (done.compareAndSet(false, true)) {
                    // queue the callback before completing: whoever waits on result() then finds it queued
                    callbacks.execute(() -> listener.onSuccess(value));
                    future.complete(value);
                }
            } catch (JobCancelledException | CancellationException e) {
                finishCancelled();
            } catch (Throwable t) {
                LOG.debug("job {} of {} failed", kind, owner, t);
                if (done.compareAndSet(false, true)) {
                    String message = describe(t);
                    callbacks.execute(() -> listener.onFailure(message, t));
                    future.completeExceptionally(t);
                }
            }
        }

        void finishCancelled() {
            cancelled.set(true);
            if (done.compareAndSet(false, true)) {
                callbacks.execute(listener::onCancelled);
                future.completeExceptionally(new JobCancelledException());
            }
        }
    }
}
