package dev.slipway.drift;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A closed window's (or an offline comparison's) drift and data-quality results for every monitored column, and the
 * verdict: the drifted columns, the warnings and the data-quality problems.
 *
 * @param model the model name
 * @param version the model version
 * @param source what was compared with the reference: {@code window} or a file name
 * @param start the window's start; {@code null} offline
 * @param end the window's end (exclusive); {@code null} offline
 * @param rows rows in the window
 * @param features one result per monitored column, features first, then predictions
 */
public record DriftReport(
        String model,
        long version,
        String source,
        @Nullable Instant start,
        @Nullable Instant end,
        long rows,
        List<FeatureDrift> features) {
    public DriftReport {
        requireNonNull(model, "model");
        requireNonNull(source, "source");
        features = List.copyOf(features);
    }

    /** The columns whose distribution drifted, in column order. */
    public List<String> drifted() {
        return features.stream()
                .filter(FeatureDrift::drifted)
                .map(FeatureDrift::name)
                .toList();
    }

    /** The columns with a warning. */
    public List<String> warnings() {
        return features.stream()
                .filter(f -> f.status() == DriftStatus.WARNING)
                .map(FeatureDrift::name)
                .toList();
    }

    /** The columns with a data-quality problem. */
    public List<String> qualityIssues() {
        return features.stream()
                .filter(FeatureDrift::qualityIssue)
                .map(FeatureDrift::name)
                .toList();
    }

    /** Whether any column drifted. */
    public boolean driftDetected() {
        return features.stream().anyMatch(FeatureDrift::drifted);
    }

    /** The result of one column. */
    public Optional<FeatureDrift> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
