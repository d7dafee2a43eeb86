package dev.slipway.rollout;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs shadow copies off the request path: on their own few threads behind a bounded queue. When the queue is full
 * the copy is dropped and counted as shed, so shadow work is the first thing to go under load and never waits in
 * front of, or holds a thread of, a live request.
 */
final class ShadowDispatcher implements AutoCloseable {
    private final Executor executor;
    private final AtomicInteger pending = new AtomicInteger();
    private final int limit;

    private ShadowDispatcher(Executor executor, int limit) {
        this.executor = executor;
        this.limit = limit;
    }

    /** A dispatcher with its own threads. */
    static ShadowDispatcher threads(EndpointPolicy.ShadowRunner settings) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                settings.threads(),
                settings.threads(),
                30,
                TimeUnit.SECONDS,
                settings.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.queue()),
                runnable -> {
                    Thread thread = new Thread(runnable, "slipway-shadow-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    thread.setPriority(Thread.MIN_PRIORITY);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return new ShadowDispatcher(pool, settings.threads() + settings.queue());
    }

    /** A dispatcher running copies on an executor of the caller's (a test's direct executor), up to a limit. */
    static ShadowDispatcher on(Executor executor, int limit) {
        return new ShadowDispatcher(executor, limit);
    }

    /** Submits a copy; false (shed) when too many are queued or running (until the copy's future completes). */
    boolean offer(Supplier<CompletableFuture<?>> copy) {
        if (pending.incrementAndGet() > limit) {
            pending.decrementAndGet();
            return false;
        }
        try {
            executor.execute(() -> {
                CompletableFuture<?> running;
                try {
                    running = copy.get();
                } catch (RuntimeException e) {
                    pending.decrementAndGet();
                    throw e;
                }
                running.whenComplete((result, failure) -> pending.decrementAndGet());
            });
            return true;
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            return false;
        }
    }

    @Override
    public void close() {
        if (executor instanceof ThreadPoolExecutor pool) {
            pool.shutdownNow();
        }
    }
}
