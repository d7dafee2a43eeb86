package dev.slipway.inference;

import dev.slipway.api.Batches;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.Ticker;
import dev.slipway.contract.BoundBatch;
import dev.slipway.spi.ModelInstance;
import dev.slipway.trace.Spans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups concurrent requests of one model version into engine calls of at most {@code max-batch-size} rows. The first
 * request of a batch waits at most {@code max-queue-delay} for company; requests whose deadline passed while queued
 * are dropped before the engine sees them. Results go back to each request in order; when a batch fails, each of its
 * requests is retried alone, so one request's bad data never fails its batch-mates.
 */
final class DynamicBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    private final ModelInstance engine;
    private final int maxRows;
    private final long maxDelayNanos;
    private final Ticker ticker;
    private final ModelStats stats;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Requests taken from the queue into a batch that is still gathering company, over all workers. */
    private final AtomicInteger gathering = new AtomicInteger();

    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    /** A request waiting for its batch; with its trace context and queue span when it is traced. */
    private record Pending(
            BoundBatch batch,
            long deadlineNanos,
            long enqueuedNanos,
            CompletableFuture<List<Tensor>> result,
            @Nullable Context trace,
            @Nullable Span queueSpan) {}

    DynamicBatcher(String label, ModelInstance engine, ServingOptions options, Ticker ticker, ModelStats stats) {
        this.engine = engine;
        this.maxRows = options.maxBatchSize();
        this.maxDelayNanos = options.maxQueueDelay().toNanos();
        this.ticker = ticker;
        this.stats = stats;
        for (int i = 0; i < options.instances(); i++) {
            Thread worker = new Thread(this::work, "slipway-batch-" + label + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    CompletableFuture<List<Tensor>> submit(BoundBatch batch, long deadlineNanos) {
        CompletableFuture<List<Tensor>> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new SlipwayException(ErrorCode.MODEL_NOT_READY, "model is unloading"));
            return result;
        }
        Context trace = Spans.current();
        queue.add(new Pending(batch, deadlineNanos, ticker.nanos(), result, trace, Spans.start(Spans.QUEUE, trace)));
        return result;
    }

    /**
     * Requests waiting for an engine call: those queued and those of a batch a worker is gathering (the first request
     * of a batch waits up to {@code max-queue-delay} for company outside the queue).
     */
    int queued() {
        return queue.size() + gathering.get();
    }

    private void work() {
        Pending carried = null;
        List<Pending> batch = new ArrayList<>();
        int held = 0; // of batch, counted in gathering
        while (!closed) {
            try {
                Pending first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gathering.incrementAndGet();
                held++;
                int rows = first.batch().rows();
                long dispatchAt = first.enqueuedNanos() + maxDelayNanos;
                while (rows < maxRows) {
                    long wait = dispatchAt - ticker.nanos();
                    Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        if (ticker.nanos() - dispatchAt >= 0) {
                            break;
                        }
                        continue;
                    }
                    if (rows + next.batch().rows() > maxRows) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    gathering.incrementAndGet();
                    held++;
                    rows += next.batch().rows();
                }
                gathering.addAndGet(-held);
                held = 0;
                dispatch(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                gathering.addAndGet(-held);
                held = 0;
                LOG.error("batch worker failed unexpectedly", e);
                failAll(batch);
                batch.clear();
            }
        }
        gathering.addAndGet(-held);
        if (carried != null) {
            batch.add(carried);
        }
        failAll(batch);
    }

    private static void failAll(List<Pending> pendings) {
        for (Pending pending : pendings) {
            pending.result()
                    .completeExceptionally(new SlipwayException(ErrorCode.MODEL_NOT_READY, "model is unloading"));
        }
    }

    private void dispatch(List<Pending> batch) {
        long now = ticker.nanos();
        List<Pending> live = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            stats.queued(now - pending.enqueuedNanos());
            Spans.end(pending.queueSpan(), null);
            if (now - pending.deadlineNanos() >= 0) {
                pending.result()
                        .completeExceptionally(new SlipwayException(
                                ErrorCode.DEADLINE_EXCEEDED,
                                "deadline passed while queued for the model; dropped before inference"));
            } else {
                live.add(pending);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        if (live.size() == 1) {
            runAlone(live.get(0));
            return;
        }
        List<Tensor> outputs;
        List<Span> spans = engineSpans(live);
        try {
            outputs = execute(concat(live));
        } catch (RuntimeException e) {
            spans.forEach(span -> Spans.end(span, e));
            for (Pending pending : live) {
                runAlone(pending);
            }
            return;
        }
        spans.forEach(Span::end);
        int from = 0;
        for (Pending pending : live) {
            int to = from + pending.batch().rows();
            List<Tensor> own = new ArrayList<>(outputs.size());
            for (Tensor output : outputs) {
                own.add(Batches.rows(output, from, to));
            }
            pending.result().complete(own);
            from = to;
        }
    }

    private void runAlone(Pending pending) {
        Span span = Spans.start(Spans.ENGINE, pending.trace());
        try {
            List<Tensor> outputs = execute(pending.batch());
            if (span != null) {
                span.setAttribute("slipway.batch_rows", pending.batch().rows());
            }
            Spans.end(span, null);
            pending.result().complete(outputs);
        } catch (RuntimeException e) {
            Spans.end(span, e);
            pending.result().completeExceptionally(e);
        }
    }

    /** An engine span per traced request of a batch, each in its own trace. */
    private static List<Span> engineSpans(List<Pending> live) {
        List<Span> spans = List.of();
        int rows = 0;
        for (Pending pending : live) {
            rows += pending.batch().rows();
        }
        for (Pending pending : live) {
            Span span = Spans.start(Spans.ENGINE, pending.trace());
            if (span != null) {
                if (spans.isEmpty()) {
                    spans = new ArrayList<>();
                }
                span.setAttribute("slipway.batch_rows", rows);
                span.setAttribute("slipway.batch_requests", live.size());
                spans.add(span);
            }
        }
        return spans;
    }

    private List<Tensor> execute(BoundBatch batch) {
        long start = ticker.nanos();
        List<Tensor> outputs = engine.infer(batch.inputs());
        stats.executed(batch.rows(), ticker.nanos() - start);
        return outputs;
    }

    private static BoundBatch concat(List<Pending> pendings) {
        int inputs = pendings.get(0).batch().inputs().size();
        List<Tensor> joined = new ArrayList<>(inputs);
        int rows = 0;
        for (Pending pending : pendings) {
            rows += pending.batch().rows();
        }
        for (int i = 0; i < inputs; i++) {
            List<Tensor> parts = new ArrayList<>(pendings.size());
            for (Pending pending : pendings) {
                parts.add(pending.batch().inputs().get(i));
            }
            joined.add(Batches.concat(parts));
        }
        return new BoundBatch(joined, rows);
    }

    /** Stops the workers; requests still queued fail with {@code MODEL_NOT_READY}. */
    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            worker.interrupt();
        }
        for (Thread worker : workers) {
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        failAll(left);
    }
}
