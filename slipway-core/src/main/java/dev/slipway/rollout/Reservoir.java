package dev.slipway.rollout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform sample of at most {@code capacity} values from a stream of any length (Vitter's algorithm R), with a
 * fixed seed so a scripted run samples the same way every time. Not thread-safe; its owner locks.
 */
final class Reservoir {
    private final double[] values;
    private final SplittableRandom random;
    private long seen;

    Reservoir(int capacity, long seed) {
        this.values = new double[capacity];
        this.random = new SplittableRandom(seed);
    }

    void add(double value) {
        if (seen < values.length) {
            values[(int) seen] = value;
        } else {
            long slot = random.nextLong(seen + 1);
            if (slot < values.length) {
                values[(int) slot] = value;
            }
        }
        seen++;
    }

    /** How many values were offered. */
    long seen() {
        return seen;
    }

    /** A copy of the sample. */
    double[] sample() {
        return Arrays.copyOf(values, (int) Math.min(seen, values.length));
    }
}
