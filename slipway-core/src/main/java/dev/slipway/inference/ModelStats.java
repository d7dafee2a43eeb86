package dev.slipway.inference;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one model version, in the shape of the protocol's statistics extension: request outcomes and their
 * durations, time queued and computing, rows inferred and engine executions (one per batch). Thread-safe.
 */
public final class ModelStats {
    /** A count and the total nanoseconds of what it counts. */
    public record Duration(long count, long nanos) {}

    /**
     * Per batch size: how many engine executions had that many rows, and their compute time.
     *
     * @param batchSize rows in the execution
     * @param compute count and total nanoseconds of the engine calls
     */
    public record BatchStat(long batchSize, Duration compute) {}

    private final Counter success = new Counter();
    private final Counter fail = new Counter();
    private final Counter queue = new Counter();
    private final Counter computeInfer = new Counter();
    private final LongAdder inferenceCount = new LongAdder();
    private final LongAdder executionCount = new LongAdder();
    private final Map<Integer, Counter> batches = new ConcurrentHashMap<>();
    private volatile long lastInferenceMillis;

    void success(long nanos, int rows, long wallMillis) {
        success.add(nanos);
        inferenceCount.add(rows);
        lastInferenceMillis = wallMillis;
    }

    void fail(long nanos) {
        fail.add(nanos);
    }

    void queued(long nanos) {
        queue.add(nanos);
    }

    void executed(int rows, long nanos) {
        executionCount.increment();
        computeInfer.add(nanos);
        batches.computeIfAbsent(rows, r -> new Counter()).add(nanos);
    }

    public Duration success() {
        return success.snapshot();
    }

    public Duration fail() {
        return fail.snapshot();
    }

    public Duration queue() {
        return queue.snapshot();
    }

    public Duration computeInfer() {
        return computeInfer.snapshot();
    }

    /** Rows inferred successfully (a batch of 64 rows counts 64). */
    public long inferenceCount() {
        return inferenceCount.sum();
    }

    /** Engine executions (a dynamic batch of 64 requests counts 1). */
    public long executionCount() {
        return executionCount.sum();
    }

    /** Milliseconds since the epoch of the last successful inference; 0 when none. */
    public long lastInferenceMillis() {
        return lastInferenceMillis;
    }

    /** Executions by batch size, smallest first. */
    public java.util.List<BatchStat> batches() {
        Map<Integer, Counter> sorted = new TreeMap<>(batches);
        return sorted.entrySet().stream()
                .map(e -> new BatchStat(e.getKey(), e.getValue().snapshot()))
                .toList();
    }

    private static final class Counter {
        private final LongAdder count = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        void add(long elapsed) {
            count.increment();
            nanos.add(elapsed);
        }

        Duration snapshot() {
            return new Duration(count.sum(), nanos.sum());
        }
    }
}
