package dev.atelier.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.AtelierException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InferenceLaneTest {
    private final InferenceLane lane = new InferenceLane();

    @AfterEach
    void close() {
        lane.close();
    }

    /** Blocks the lane until released, so that later submissions stay queued. */
    private CountDownLatch blockLane() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        lane.submit(new JobOwner("blocker"), JobKind.OTHER, ctx -> {
            started.countDown();
            release.await();
            return null;
        }, Runnable::run, null);
        assertTrue(started.await(5, TimeUnit.SECONDS));
        return release;
    }

    @Test
    void jobsRunOneAtATimeInSubmissionOrderOnOneThread() throws Exception {
        CountDownLatch release = blockLane();
        List<String> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        JobHandle<?> last = null;
        for (String k : List.of("a", "b", "c", "d")) {
            last = lane.submit(new JobOwner(k), JobKind.OTHER, ctx -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                order.add(k);
                threads.add(Thread.currentThread().getName());
                Thread.sleep(5);
                concurrent.decrementAndGet();
                return k;
            }, Runnable::run, null);
        }
        release.countDown();
        assertEquals("d", last.result().get(5, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b", "c", "d"), order);
        assertEquals(1, maxConcurrent.get());
        assertTrue(threads.stream().allMatch("atelier-inference"::equals), threads.toString());
    }

    @Test
    void cancelInTheMiddleStopsAtTheNextStepBoundary() throws Exception {
        CountDownLatch atStep3 = new CountDownLatch(1);
        AtomicInteger steps = new AtomicInteger();
        CountDownLatch cancelledCallback = new CountDownLatch(1);
        JobHandle<Integer> h = lane.submit(new JobOwner("long"), JobKind.OTHER, ctx -> {
            for (int i = 0; i < 1000; i++) {
                ctx.checkCancelled();
                steps.incrementAndGet();
                if (i == 3) {
                    atStep3.countDown();
                }
                Thread.sleep(2);
            }
            return steps.get();
        }, Runnable::run, new JobListener<>() {
            @Override
            public void onCancelled() {
                cancelledCallback.countDown();
            }
        });
        assertTrue(atStep3.await(5, TimeUnit.SECONDS));
        h.cancel();
        assertTrue(cancelledCallback.await(5, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> h.result().get());
        assertTrue(e.getCause() instanceof JobCancelledException);
        assertTrue(steps.get() < 1000, "the job ran to the end despite cancel: " + steps.get());
        assertEquals("next", lane.run(new JobOwner("next"), JobKind.OTHER, ctx -> "next", null));
    }

    @Test
    void aFailingJobFailsAloneAndTheNextJobRuns() throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        JobHandle<Object> bad = lane.submit(new JobOwner("bad"), JobKind.OTHER, ctx -> {
            throw new AtelierException("The model file is broken. Export it again.");
        }, Runnable::run, new JobListener<>() {
            @Override
            public void onFailure(String message, Throwable error) {
                messages.add(message);
            }
        });
        JobHandle<Object> oom = lane.submit(new JobOwner("oom"), JobKind.OTHER, ctx -> {
            throw new OutOfMemoryError("native allocation of 4 GB failed");
        }, Runnable::run, new JobListener<>() {
            @Override
            public void onFailure(String message, Throwable error) {
                messages.add(message);
            }
        });
        JobHandle<String> good = lane.submit(new JobOwner("good"), JobKind.OTHER, ctx -> "fine", Runnable::run, null);
        assertEquals("fine", good.result().get(5, TimeUnit.SECONDS));
        assertTrue(bad.result().isCompletedExceptionally());
        assertTrue(oom.result().isCompletedExceptionally());
        assertEquals("The model file is broken. Export it again.", messages.get(0));
        assertTrue(messages.get(1).contains("ran out of memory") && messages.get(1).contains("smaller batch"),
                messages.get(1));
    }

    @Test
    void aQueuedJobOfTheSameKindIsReplacedByTheNewestOne() throws Exception {
        CountDownLatch release = blockLane();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        AtomicInteger cancelledCallbacks = new AtomicInteger();
        JobHandle<?> last = null;
        for (int i = 0; i < 5; i++) {
            int v = i;
            last = lane.submit(new JobOwner("slider"), JobKind.OTHER, ctx -> ran.add(v), Runnable::run, new JobListener<>() {
                @Override
                public void onCancelled() {
                    cancelledCallbacks.incrementAndGet();
                }
            });
        }
        JobHandle<Boolean> other = lane.submit(new JobOwner("other"), JobKind.OTHER, ctx -> ran.add(100), Runnable::run, null);
        release.countDown();
        other.result().get(5, TimeUnit.SECONDS);
        last.result().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(4, 100), ran);
        assertEquals(4, cancelledCallbacks.get());
    }

    @Test
    void replacementAndCancelBelongToTheOwner() throws Exception {
        CountDownLatch release = blockLane();
        JobOwner sampling = new JobOwner("sampling");
        JobOwner inpaint = new JobOwner("inpaint");
        List<String> ran = new CopyOnWriteArrayList<>();
        JobHandle<Boolean> a1 = lane.submit(sampling, JobKind.SAMPLE, ctx -> ran.add("a1"), Runnable::run, null);
        JobHandle<Boolean> b1 = lane.submit(inpaint, JobKind.SAMPLE, ctx -> ran.add("b1"), Runnable::run, null);
        JobHandle<Boolean> a2 = lane.submit(sampling, JobKind.SAMPLE, ctx -> ran.add("a2"), Runnable::run, null);
        JobHandle<Boolean> b2 = lane.submit(inpaint, JobKind.EDIT, ctx -> ran.add("b2"), Runnable::run, null);
        assertTrue(a1.result().isCompletedExceptionally(), "replaced by the same owner's newer job of its kind");
        lane.cancel(inpaint);
        release.countDown();
        a2.result().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("a2"), ran, "the other owner's jobs were cancelled, this owner's ran");
        assertTrue(b1.result().isCompletedExceptionally() && b2.result().isCompletedExceptionally());
        assertEquals(sampling, a2.owner());
        assertEquals(JobKind.SAMPLE, a2.kind());
    }

    @Test
    void partialsAreTypedAndCoalescedForASlowListener() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch uiFree = new CountDownLatch(1);
        java.util.concurrent.ExecutorService ui = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            ui.submit(() -> {
                uiFree.await();
                return null;
            });
            JobHandle<String> h = lane.submit(new JobOwner("p"), JobKind.OTHER, (JobContext<Integer> ctx) -> {
                for (int i = 1; i <= 100; i++) {
                    ctx.partial(i);
                }
                return "done";
            }, ui, new JobListener<String, Integer>() {
                @Override
                public void onPartial(Integer value) {
                    seen.add(value);
                }
            });
            assertEquals("done", h.result().get(5, TimeUnit.SECONDS));
            uiFree.countDown();
            ui.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertEquals(List.of(100), seen, "a listener that lags behind sees only the newest partial");
        } finally {
            ui.shutdownNow();
        }
    }

    @Test
    void callbacksRunOnTheGivenExecutorAndProgressIsReported() throws Exception {
        List<String> callbackThreads = new CopyOnWriteArrayList<>();
        List<Double> progress = new CopyOnWriteArrayList<>();
        List<Object> partials = new CopyOnWriteArrayList<>();
        java.util.concurrent.ExecutorService ui = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "fake-ui"));
        try {
            JobHandle<String> h = lane.submit(new JobOwner("p"), JobKind.OTHER, ctx -> {
                ctx.progress(0.5, "half");
                ctx.partial("preview");
                return "done";
            }, ui, new JobListener<>() {
                @Override
                public void onProgress(double fraction, String message) {
                    callbackThreads.add(Thread.currentThread().getName());
                    progress.add(fraction);
                }

                @Override
                public void onPartial(Object value) {
                    callbackThreads.add(Thread.currentThread().getName());
                    partials.add(value);
                }

                @Override
                public void onSuccess(String result) {
                    callbackThreads.add(Thread.currentThread().getName());
                }
            });
            assertEquals("done", h.result().get(5, TimeUnit.SECONDS));
            ui.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertEquals(List.of(0.5), progress);
            assertEquals(List.of("preview"), partials);
            assertEquals(3, callbackThreads.size());
            assertTrue(callbackThreads.stream().allMatch("fake-ui"::equals), callbackThreads.toString());
        } finally {
            ui.shutdownNow();
        }
    }

    @Test
    void aJobCancelledWhileQueuedNeverRuns() throws Exception {
        CountDownLatch release = blockLane();
        AtomicInteger runs = new AtomicInteger();
        JobHandle<Integer> h = lane.submit(new JobOwner("queued"), JobKind.OTHER, ctx -> runs.incrementAndGet(), Runnable::run, null);
        h.cancel();
        release.countDown();
        assertEquals("after", lane.run(new JobOwner("after"), JobKind.OTHER, ctx -> "after", null));
        assertEquals(0, runs.get());
        assertTrue(h.result().isCompletedExceptionally());
        assertFalse(lane.isLaneThread());
    }
}
