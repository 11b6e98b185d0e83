package dev.atelier.app;

import dev.atelier.runtime.InferenceLane;
import dev.atelier.runtime.JobContext;
import dev.atelier.runtime.JobHandle;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.JobListener;
import dev.atelier.runtime.JobOwner;
import java.util.concurrent.Executor;

/**
 * A service of one job kind: it turns a request into a result on the inference lane. The studio submits (never
 * waits); the command line and tests run and wait.
 *
 * @param <Q> the request
 * @param <R> the result
 * @param <P> the typed partial result (progress with previews, beam snapshots)
 */
public abstract class LaneService<Q, R, P> {
    private final InferenceLane lane;
    private final JobKind kind;

    LaneService(InferenceLane lane, JobKind kind) {
        this.lane = lane;
        this.kind = kind;
    }

    /**
     * Queues the request on the lane; returns at once. A queued job of the same owner and kind is replaced.
     *
     * @param owner the panel or command that asks (its Esc cancels only its own jobs)
     * @param request what to do
     * @param callbacks where the listener runs ({@code Platform::runLater} in the studio)
     * @param listener progress, partial results and the outcome; may be null
     * @return the handle to cancel or await the job
     */
    public JobHandle<R> submit(JobOwner owner, Q request, Executor callbacks, JobListener<R, P> listener) {
        return lane.submit(owner, kind, ctx -> execute(request, ctx), callbacks, listener);
    }

    /**
     * Runs the request on the lane and waits (command line, tests; never the FX thread). The listener runs on
     * the lane thread and sees every progress report and partial result.
     *
     * @return the result
     * @throws dev.atelier.AtelierException for bad input, {@link dev.atelier.runtime.JobCancelledException} if
     *     cancelled
     */
    public R run(JobOwner owner, Q request, JobListener<R, P> listener) {
        return lane.run(owner, kind, ctx -> execute(request, ctx), listener);
    }

    /** Does the work on the lane thread. */
    abstract R execute(Q request, JobContext<P> ctx) throws Exception;
}
