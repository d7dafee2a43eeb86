package dev.slipway.drift;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One column's drift and data-quality result for one window.
 *
 * @param name the feature or output name
 * @param kind how it was compared
 * @param prediction whether it is a model output rather than an input feature
 * @param quality missing, out-of-contract and unseen counts and shares
 * @param scores the drift statistics
 * @param bins the compared bins, reference and window counts
 * @param status the distribution's verdict
 * @param qualityIssue whether a data-quality limit is exceeded
 * @param reasons each exceeded limit, for humans ({@code psi 0.31 > 0.2})
 */
public record FeatureDrift(
        String name,
        ColumnKind kind,
        boolean prediction,
        DataQuality quality,
        DriftScores scores,
        List<BinCount> bins,
        DriftStatus status,
        boolean qualityIssue,
        List<String> reasons) {
    public FeatureDrift {
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
        requireNonNull(quality, "quality");
        requireNonNull(scores, "scores");
        requireNonNull(status, "status");
        bins = List.copyOf(bins);
        reasons = List.copyOf(reasons);
    }

    /** Whether the distribution drifted. */
    public boolean drifted() {
        return status == DriftStatus.DRIFTED;
    }
}
