package dev.slipway.drift;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.jspecify.annotations.Nullable;

/**
 * One column's state over one window, mergeable: exact counts (rows, missing, out of contract, unseen, per PSI bin,
 * per category), a KLL sketch of the numeric values, and the exact values themselves while there are at most {@code
 * exactLimit} of them. Merging two windows gives the same counts and, while the combined values stay within the
 * limit, the same exact values (in another order) as one window fed both streams. Not thread-safe.
 */
final class FeatureWindow {
    /** KLL accuracy parameter: about 0.68 % single-sided normalised rank error at 99 % confidence. */
    static final int SKETCH_K = 400;

    private final ReferenceColumn reference;
    private final int exactLimit;
    private long rows;
    private long missing;
    private long outOfContract;
    private long unseen;
    private long count;
    private final long[] counts;
    private final Map<String, Long> otherLabels = new TreeMap<>();
    private final @Nullable KllDoublesSketch sketch;
    private double @Nullable [] exact;
    private int exactSize;

    FeatureWindow(ReferenceColumn reference, int exactLimit) {
        this.reference = reference;
        this.exactLimit = exactLimit;
        boolean numeric = reference.column().numeric();
        this.counts = new long
                [numeric ? reference.edges().length + 1 : reference.labels().size()];
        this.sketch = numeric ? KllDoublesSketch.newHeapInstance(SKETCH_K) : null;
        this.exact = numeric ? new double[Math.min(64, Math.max(exactLimit, 1))] : null;
    }

    ReferenceColumn reference() {
        return reference;
    }

    /** Records a missing value. */
    void missing() {
        rows++;
        missing++;
    }

    /** Records a value of the wrong type or a non-finite number: out of contract and left out of the distribution. */
    void unusable() {
        rows++;
        outOfContract++;
    }

    /** Records an encoded value: a number, or a category's code / 0-1 for categorical columns; NaN is missing. */
    void encoded(double value) {
        if (Double.isNaN(value)) {
            missing();
        } else if (reference.column().numeric()) {
            number(value);
        } else {
            label(reference.column().label(value));
        }
    }

    /** Records a raw value as a client sends it; {@code null} is missing. */
    void raw(@Nullable Object value) {
        if (value == null || (value instanceof Number n && Double.isNaN(n.doubleValue()))) {
            missing();
        } else if (reference.column().numeric()) {
            if (value instanceof Number number) {
                number(number.doubleValue());
            } else {
                unusable();
            }
        } else {
            String label = reference.column().rawLabel(value);
            if (label == null) {
                unusable();
            } else {
                label(label);
            }
        }
    }

    private void number(double value) {
        if (!Double.isFinite(value)) {
            unusable();
            return;
        }
        rows++;
        count++;
        if (!reference.column().inContract(value)) {
            outOfContract++;
        }
        counts[DriftMath.bin(reference.edges(), value)]++;
        sketch().update(value);
        double[] values = exact;
        if (values != null) {
            if (exactSize == exactLimit) {
                exact = null;
            } else {
                if (exactSize == values.length) {
                    values = Arrays.copyOf(values, Math.min(exactLimit, values.length * 2));
                    exact = values;
                }
                values[exactSize++] = value;
            }
        }
    }

    private void label(String label) {
        rows++;
        count++;
        if (!reference.column().declares(label)) {
            outOfContract++;
        }
        int index = reference.labelIndex(label);
        if (index >= 0) {
            counts[index]++;
            if (reference.counts()[index] == 0) {
                unseen++;
            }
        } else {
            otherLabels.merge(label, 1L, Long::sum);
            unseen++;
        }
    }

    /** Adds another window's state of the same column into this one. */
    void merge(FeatureWindow other) {
        if (other.reference != reference) {
            throw new IllegalArgumentException("column '" + other.reference.name() + "' belongs to another profile");
        }
        rows += other.rows;
        missing += other.missing;
        outOfContract += other.outOfContract;
        unseen += other.unseen;
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        other.otherLabels.forEach((label, n) -> otherLabels.merge(label, n, Long::sum));
        if (sketch != null && other.sketch != null && !other.sketch.isEmpty()) {
            sketch.merge(other.sketch);
        }
        double[] mine = exact;
        double[] theirs = other.exact;
        if (mine != null && theirs != null && exactSize + other.exactSize <= exactLimit) {
            if (exactSize + other.exactSize > mine.length) {
                mine = Arrays.copyOf(
                        mine, Math.min(exactLimit, Math.max(mine.length * 2, exactSize + other.exactSize)));
                exact = mine;
            }
            System.arraycopy(theirs, 0, mine, exactSize, other.exactSize);
            exactSize += other.exactSize;
        } else if (reference.column().numeric()) {
            exact = null;
        }
        count += other.count;
    }

    long rows() {
        return rows;
    }

    long missingCount() {
        return missing;
    }

    long outOfContract() {
        return outOfContract;
    }

    long unseen() {
        return unseen;
    }

    /** Values in the distribution. */
    long count() {
        return count;
    }

    /** Counts per PSI bin (numeric) or per known label (categorical). */
    long[] counts() {
        return counts.clone();
    }

    /** Counts of labels the reference profile does not know, by label. */
    Map<String, Long> otherLabels() {
        return Map.copyOf(otherLabels);
    }

    /** Whether every value of the window is kept exactly. */
    boolean exact() {
        return exact != null;
    }

    /** The window's values, sorted; only while {@link #exact()}. */
    double[] sortedValues() {
        double[] values = exact;
        if (values == null) {
            throw new IllegalStateException("column '" + reference.name() + "' keeps only a sketch");
        }
        double[] sorted = Arrays.copyOf(values, exactSize);
        Arrays.sort(sorted);
        return sorted;
    }

    KllDoublesSketch sketch() {
        KllDoublesSketch s = sketch;
        if (s == null) {
            throw new IllegalStateException("column '" + reference.name() + "' is categorical");
        }
        return s;
    }
}
