package dev.slipway.drift;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.DriftSpec;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.OutputSpec;
import dev.slipway.parity.CsvRows;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a model version's inputs and predictions looked like at training time, built from the manifest's reference
 * sample: per numeric column the exact sorted values, the PSI edges (deduplicated reference deciles), mean and standard
 * deviation; per categorical or boolean column the category frequencies. The monitored columns are the manifest's
 * features, in order, then each output the reference file holds (the prediction, such as {@code stall_probability}).
 * Immutable and thread-safe.
 */
public final class ReferenceProfile {
    /**
     * A window keeps a numeric column's values exactly up to this many, so KS and Wasserstein are exact; beyond it
     * only the KLL sketch remains.
     */
    public static final int DEFAULT_EXACT_LIMIT = 10_000;

    private final String model;
    private final long version;
    private final String source;
    private final List<ReferenceColumn> columns;
    private final List<String> names;

    private ReferenceProfile(String model, long version, String source, List<ReferenceColumn> columns) {
        this.model = model;
        this.version = version;
        this.source = source;
        this.columns = List.copyOf(columns);
        this.names = columns.stream().map(ReferenceColumn::name).toList();
    }

    /** Reads the manifest's reference sample from the model version directory. */
    public static ReferenceProfile load(Path directory, ModelManifest manifest) {
        if (manifest.reference() == null) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "model '" + manifest.name() + "' version " + manifest.version()
                            + " has no reference sample (expected: reference.file in its manifest)");
        }
        Path file = directory.resolve(manifest.reference().file());
        return of(manifest, CsvRows.read(file), file.toString());
    }

    /**
     * Builds the profile from reference rows, which must hold a column per feature; outputs are monitored when their
     * column is present.
     */
    public static ReferenceProfile of(ModelManifest manifest, CsvRows rows, String source) {
        List<String> missing = new ArrayList<>();
        for (FeatureSpec feature : manifest.features()) {
            if (!rows.header().contains(feature.name())) {
                missing.add(feature.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new SlipwayException(
                    ErrorCode.INVALID_INPUT,
                    "reference '" + source + "' lacks the feature column" + (missing.size() == 1 ? " " : "s ")
                            + String.join(", ", missing) + " (expected: a column per feature)");
        }
        List<Column> monitored = new ArrayList<>();
        manifest.features().forEach(f -> monitored.add(Column.of(f)));
        for (OutputSpec output : manifest.outputs()) {
            if (rows.header().contains(output.name())) {
                monitored.add(Column.of(output));
            }
        }
        List<ReferenceColumn> columns = new ArrayList<>();
        for (Column column : monitored) {
            List<@Nullable Object> values = new ArrayList<>(rows.rows().size());
            for (Map<String, @Nullable Object> row : rows.rows()) {
                values.add(row.get(column.name()));
            }
            columns.add(ReferenceColumn.build(column, values));
        }
        return new ReferenceProfile(manifest.name(), manifest.version(), source, columns);
    }

    /** A profile of named columns and their raw reference values; for tests and tools without a manifest. */
    static ReferenceProfile of(String model, List<Column> monitored, List<List<@Nullable Object>> values) {
        List<ReferenceColumn> columns = new ArrayList<>();
        for (int i = 0; i < monitored.size(); i++) {
            columns.add(ReferenceColumn.build(monitored.get(i), values.get(i)));
        }
        return new ReferenceProfile(model, 1, "test", columns);
    }

    public String model() {
        return model;
    }

    public long version() {
        return version;
    }

    /** Where the reference sample came from. */
    public String source() {
        return source;
    }

    /** The monitored columns in row order: the features, then the predictions the reference holds. */
    public List<String> columns() {
        return names;
    }

    /** The monitored outputs (predictions), a suffix of {@link #columns()}. */
    public List<String> predictions() {
        return columns.stream()
                .filter(c -> c.column().prediction())
                .map(ReferenceColumn::name)
                .toList();
    }

    /** The reference's inner PSI edges of a numeric column; empty for a categorical one. */
    public double[] edges(String column) {
        return reference(column).edges().clone();
    }

    /** The reference's category frequencies of a categorical column, in label order; empty for a numeric one. */
    public Map<String, Long> categoryCounts(String column) {
        ReferenceColumn reference = reference(column);
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < reference.labels().size(); i++) {
            counts.put(reference.labels().get(i), reference.counts()[i]);
        }
        return counts;
    }

    private ReferenceColumn reference(String column) {
        int index = names.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException(
                    "column '" + column + "' is not monitored (expected one of " + names + ")");
        }
        return columns.get(index);
    }

    List<ReferenceColumn> referenceColumns() {
        return columns;
    }

    /** An empty window state over {@code [start, end)}. */
    public WindowState newWindow(Instant start, Instant end) {
        return new WindowState(this, start, end, DEFAULT_EXACT_LIMIT);
    }

    WindowState newWindow(Instant start, Instant end, int exactLimit) {
        return new WindowState(this, start, end, exactLimit);
    }

    /** Compares a window with the reference, judging each column by the manifest's limits. */
    public DriftReport compare(WindowState window, DriftSpec spec) {
        return compare(window, spec, "window", window.start(), window.end());
    }

    /**
     * Compares rows read offline (a CSV file) with the reference: every value is kept exactly. The rows must hold a
     * column per feature; predictions absent from them are left out of the report.
     */
    public DriftReport compare(CsvRows current, DriftSpec spec, String source) {
        List<String> missing = new ArrayList<>();
        for (ReferenceColumn column : columns) {
            if (!column.column().prediction() && !current.header().contains(column.name())) {
                missing.add(column.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new SlipwayException(
                    ErrorCode.INVALID_INPUT,
                    "'" + source + "' lacks the feature column" + (missing.size() == 1 ? " " : "s ")
                            + String.join(", ", missing) + " (expected: a column per feature, as in the reference)");
        }
        WindowState window = newWindow(Instant.EPOCH, Instant.EPOCH, Integer.MAX_VALUE);
        current.rows().forEach(window::observeRecord);
        DriftReport report = compare(window, spec, source, null, null);
        List<FeatureDrift> present = report.features().stream()
                .filter(f -> !f.prediction() || current.header().contains(f.name()))
                .toList();
        return new DriftReport(model, version, source, null, null, report.rows(), present);
    }

    private DriftReport compare(
            WindowState window, DriftSpec spec, String source, @Nullable Instant start, @Nullable Instant end) {
        requireNonNull(spec, "spec");
        if (window.profile() != this) {
            throw new IllegalArgumentException("window state of another reference profile");
        }
        List<FeatureDrift> features = new ArrayList<>();
        for (int i = 0; i < window.size(); i++) {
            String name = columns.get(i).name();
            features.add(DriftEvaluator.evaluate(window.column(i), spec.thresholdsFor(name), spec.minRows()));
        }
        return new DriftReport(model, version, source, start, end, window.rows(), features);
    }
}
