package dev.slipway.api.manifest;

import org.jspecify.annotations.Nullable;

/**
 * The service level objective agreed for a model.
 *
 * @param p99LatencyMs p99 latency at the service boundary for single-row requests, in milliseconds
 * @param maxErrorRate the largest acceptable share of failed requests, in [0, 1]
 */
public record SloSpec(@Nullable Double p99LatencyMs, @Nullable Double maxErrorRate) {
    /** No objective stated. */
    public static SloSpec none() {
        return new SloSpec(null, null);
    }
}
