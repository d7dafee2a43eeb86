package dev.slipway.drift;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything one window saw, per monitored column: mergeable, so the states of N replicas (or N stripes of one
 * process) {@link #merge merge} into the state of one process that saw all the traffic. Counts merge exactly; numeric
 * values are kept exactly while a column holds at most {@link ReferenceProfile#DEFAULT_EXACT_LIMIT} of them (then only
 * the KLL sketch, k = {@value FeatureWindow#SKETCH_K}, remains). Not thread-safe: {@link DriftMonitor} guards it.
 */
public final class WindowState {
    private final ReferenceProfile profile;
    private final Instant start;
    private final Instant end;
    private final FeatureWindow[] columns;
    private long rows;

    WindowState(ReferenceProfile profile, Instant start, Instant end, int exactLimit) {
        this.profile = profile;
        this.start = start;
        this.end = end;
        List<ReferenceColumn> references = profile.referenceColumns();
        this.columns = new FeatureWindow[references.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new FeatureWindow(references.get(i), exactLimit);
        }
    }

    /** The profile this state compares with. */
    public ReferenceProfile profile() {
        return profile;
    }

    /** The window's first instant. */
    public Instant start() {
        return start;
    }

    /** The window's end (exclusive). */
    public Instant end() {
        return end;
    }

    /** The rows observed. */
    public long rows() {
        return rows;
    }

    /**
     * Records one row of encoded values in the order of {@link ReferenceProfile#columns()}: features as the model sees
     * them (booleans 0/1, categories as their codes), then the predictions; {@code NaN} is a missing value.
     */
    public void observe(double[] row) {
        if (row.length != columns.length) {
            throw new IllegalArgumentException("row: " + row.length + " values (expected: " + columns.length
                    + ", one per " + profile.columns() + ")");
        }
        rows++;
        for (int i = 0; i < columns.length; i++) {
            columns[i].encoded(row[i]);
        }
    }

    /**
     * Records one row of raw values by column name, as a client or a CSV file gives them: numbers, booleans, category
     * names; an absent or {@code null} value is missing, and a value of the wrong type is out of contract.
     */
    public void observeRecord(Map<String, ? extends @Nullable Object> record) {
        rows++;
        for (FeatureWindow column : columns) {
            column.raw(record.get(column.reference().name()));
        }
    }

    /** Adds another state of the same profile into this one; its window bounds are ignored. */
    public void merge(WindowState other) {
        if (other.profile != profile) {
            throw new IllegalArgumentException("window state of another reference profile");
        }
        rows += other.rows;
        for (int i = 0; i < columns.length; i++) {
            columns[i].merge(other.columns[i]);
        }
    }

    FeatureWindow column(int index) {
        return columns[index];
    }

    int size() {
        return columns.length;
    }
}
