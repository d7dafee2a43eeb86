package dev.slipway.rollout;

import java.util.HashSet;
import java.util.Set;

/** Accumulates what one variant does in one observation window. Thread-safe. */
final class VariantWindow {
    static final int SAMPLE_CAPACITY = 20_000;
    private static final int MAX_TRACKED_UNITS = 1_000_000;

    private final Reservoir latencies;
    private final Reservoir scores;
    private final Set<Long> keys = new HashSet<>();
    private long anonymous;
    private long requests;
    private long errors;
    private long fallbacks;
    private long rows;
    private long positives;
    private double mean;
    private double m2;

    VariantWindow(long seed) {
        this.latencies = new Reservoir(SAMPLE_CAPACITY, seed);
        this.scores = new Reservoir(SAMPLE_CAPACITY, seed ^ 0x5DEECE66DL);
    }

    /** Counts a request routed here, under its unit (a routing-key hash, or none). */
    synchronized void exposed(long unit, boolean keyed) {
        requests++;
        if (!keyed) {
            anonymous++;
        } else if (keys.size() < MAX_TRACKED_UNITS) {
            keys.add(unit);
        }
    }

    /** Records the variant's own answer: its time, and each row's score and decision at the model's threshold. */
    synchronized void answered(long latencyNanos, double[] rowScores, double threshold) {
        latencies.add(latencyNanos / 1e6);
        for (double score : rowScores) {
            if (Double.isNaN(score)) {
                continue;
            }
            scores.add(score);
            rows++;
            if (score >= threshold) {
                positives++;
            }
            double delta = score - mean;
            mean += delta / rows;
            m2 += delta * (score - mean);
        }
    }

    /** Records that the variant failed; {@code rescued} when a fallback answered instead. */
    synchronized void failed(boolean rescued) {
        errors++;
        if (rescued) {
            fallbacks++;
        }
    }

    synchronized VariantSample snapshot() {
        return new VariantSample(
                requests,
                errors,
                fallbacks,
                keys.size() + anonymous,
                latencies.sample(),
                scores.sample(),
                rows,
                positives,
                rows == 0 ? Double.NaN : mean,
                rows < 2 ? Double.NaN : m2 / (rows - 1));
    }
}
