package dev.slipway.rollout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one endpoint's variants and shadow did under one routing epoch, since {@code startedNanos}. Thread-safe.
 *
 * @see Observations
 */
public final class Window {
    private final long epoch;
    private final long startedNanos;
    private final long seed;
    private final Map<String, VariantWindow> variants = new ConcurrentHashMap<>();
    private final ShadowWindow shadow;

    Window(long epoch, long startedNanos, long seed) {
        this.epoch = epoch;
        this.startedNanos = startedNanos;
        this.seed = seed;
        this.shadow = new ShadowWindow(seed);
    }

    /** The routing epoch observed. */
    public long epoch() {
        return epoch;
    }

    /** When observation began, on the ticker. */
    public long startedNanos() {
        return startedNanos;
    }

    VariantWindow variant(String name) {
        return variants.computeIfAbsent(name, n -> new VariantWindow(seed + n.hashCode()));
    }

    ShadowWindow shadow() {
        return shadow;
    }

    /** What a variant did so far; empty for one that saw nothing. */
    public VariantSample sample(String name) {
        VariantWindow window = variants.get(name);
        return window == null ? VariantSample.EMPTY : window.snapshot();
    }

    /** What the shadow did so far. */
    public ShadowSample shadowSample() {
        return shadow.snapshot();
    }
}
