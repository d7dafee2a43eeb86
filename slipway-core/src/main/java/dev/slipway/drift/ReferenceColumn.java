package dev.slipway.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The reference side of one column. Numeric: the exact sorted values, the PSI edges (deduplicated reference deciles),
 * the reference's count per bin, mean and population standard deviation. Categorical: the known labels (declared
 * ones first, then any the reference shows beyond them) with the reference's count of each. Immutable.
 */
final class ReferenceColumn {
    private final Column column;
    private final long rows;
    private final long missing;
    private final long outOfContract;
    private final double[] sorted;
    private final double[] edges;
    private final long[] counts;
    private final double mean;
    private final double std;
    private final List<String> labels;
    private final Map<String, Integer> labelIndex;

    private ReferenceColumn(
            Column column,
            long rows,
            long missing,
            long outOfContract,
            double[] sorted,
            double[] edges,
            long[] counts,
            List<String> labels) {
        this.column = column;
        this.rows = rows;
        this.missing = missing;
        this.outOfContract = outOfContract;
        this.sorted = sorted;
        this.edges = edges;
        this.counts = counts;
        this.labels = List.copyOf(labels);
        this.labelIndex = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.get(i), i);
        }
        double sum = 0;
        for (double value : sorted) {
            sum += value;
        }
        this.mean = sorted.length == 0 ? Double.NaN : sum / sorted.length;
        double squares = 0;
        for (double value : sorted) {
            squares += (value - mean) * (value - mean);
        }
        this.std = sorted.length == 0 ? Double.NaN : Math.sqrt(squares / sorted.length);
    }

    /** Builds the reference side from raw values: numbers, booleans, category names, or {@code null} for missing. */
    static ReferenceColumn build(Column column, List<? extends @Nullable Object> values) {
        long missing = 0;
        long outOfContract = 0;
        if (column.numeric()) {
            double[] kept = new double[values.size()];
            int size = 0;
            for (Object value : values) {
                if (value == null || (value instanceof Number n && Double.isNaN(n.doubleValue()))) {
                    missing++;
                } else if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                    double x = number.doubleValue();
                    kept[size++] = x;
                    if (!column.inContract(x)) {
                        outOfContract++;
                    }
                } else {
                    outOfContract++;
                }
            }
            double[] sorted = Arrays.copyOf(kept, size);
            Arrays.sort(sorted);
            double[] edges = DriftMath.decileEdges(sorted);
            long[] counts = new long[edges.length + 1];
            for (double x : sorted) {
                counts[DriftMath.bin(edges, x)]++;
            }
            return new ReferenceColumn(column, values.size(), missing, outOfContract, sorted, edges, counts, List.of());
        }
        Map<String, Long> seen = new LinkedHashMap<>();
        for (Object value : values) {
            if (value == null || (value instanceof Number n && Double.isNaN(n.doubleValue()))) {
                missing++;
                continue;
            }
            String label = column.rawLabel(value);
            if (label == null || !column.declares(label)) {
                outOfContract++;
            }
            if (label != null) {
                seen.merge(label, 1L, Long::sum);
            }
        }
        List<String> labels = new ArrayList<>(column.declared());
        TreeSet<String> extra = new TreeSet<>(seen.keySet());
        extra.removeAll(labels);
        labels.addAll(extra);
        long[] counts = new long[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            counts[i] = seen.getOrDefault(labels.get(i), 0L);
        }
        return new ReferenceColumn(
                column, values.size(), missing, outOfContract, new double[0], new double[0], counts, labels);
    }

    Column column() {
        return column;
    }

    String name() {
        return column.name();
    }

    long rows() {
        return rows;
    }

    long missing() {
        return missing;
    }

    long outOfContract() {
        return outOfContract;
    }

    /** Values in the distribution: rows that were neither missing nor unusable. */
    long count() {
        if (column.numeric()) {
            return sorted.length;
        }
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /** The sorted reference values (numeric); do not modify. */
    double[] sorted() {
        return sorted;
    }

    /** The inner PSI edges (numeric); do not modify. */
    double[] edges() {
        return edges;
    }

    /** The reference count per bin (numeric) or per known label (categorical); do not modify. */
    long[] counts() {
        return counts;
    }

    double mean() {
        return mean;
    }

    double std() {
        return std;
    }

    /** The known labels (categorical): declared first, then others the reference shows. */
    List<String> labels() {
        return labels;
    }

    /** The index of a known label, or -1. */
    int labelIndex(String label) {
        Integer index = labelIndex.get(label);
        return index == null ? -1 : index;
    }
}
