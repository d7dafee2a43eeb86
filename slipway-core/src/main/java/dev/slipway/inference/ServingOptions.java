package dev.slipway.inference;

import java.time.Duration;

/**
 * How one model version is served: dynamic batching, admission control and parallelism.
 *
 * @param maxBatchSize the most rows one engine call takes; 1 turns dynamic batching off (each request calls the engine
 *     on its own thread)
 * @param maxQueueDelay how long the first request of a batch may wait for more; zero takes only what is already
 *     queued
 * @param maxConcurrency requests in flight (queued or running) beyond which new ones are refused with {@code
 *     OVERLOADED} at once
 * @param instances batch workers calling the engine in parallel (with batching on)
 */
public record ServingOptions(int maxBatchSize, Duration maxQueueDelay, int maxConcurrency, int instances) {
    public static final int DEFAULT_MAX_BATCH_SIZE = 1;
    public static final Duration DEFAULT_MAX_QUEUE_DELAY = Duration.ZERO;
    public static final int DEFAULT_MAX_CONCURRENCY = 1024;
    public static final int DEFAULT_INSTANCES = 1;

    public ServingOptions {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max-batch-size: " + maxBatchSize + " (expected: >= 1)");
        }
        if (maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("max-queue-delay: " + maxQueueDelay + " (expected: >= 0)");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("max-concurrency: " + maxConcurrency + " (expected: >= 1)");
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances: " + instances + " (expected: >= 1)");
        }
    }

    /** The defaults: no batching, 1024 requests in flight, one instance. */
    public static ServingOptions defaults() {
        return new ServingOptions(
                DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_QUEUE_DELAY, DEFAULT_MAX_CONCURRENCY, DEFAULT_INSTANCES);
    }

    /** Whether requests are grouped by a batcher. */
    public boolean batching() {
        return maxBatchSize > 1;
    }
}
