package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.time.Duration;
import java.util.Map;

/**
 * How a model version is watched for drift: the manifest's optional {@code drift:} section.
 *
 * <pre>{@code
 * drift:
 *   window: PT1H               # tumbling window length (ISO-8601); default PT1H
 *   min-rows: 50               # fewer non-missing values in a window: no drift verdict; default 30
 *   thresholds:                # for every feature and prediction; each key optional
 *     psi: 0.25
 *     ks-p-value: off
 *   features:                  # per feature or output name, over the thresholds above
 *     distance_to_destination_km: {missing-share-increase: 0.1}
 * }</pre>
 *
 * @param window the length of a tumbling window; positive
 * @param minRows the fewest non-missing values a window needs before its distribution is judged; at least 1
 * @param thresholds limits for every column, each unset one taken from {@link DriftThresholds#defaults()}
 * @param features per-column limits (feature or output name), each unset one taken from {@code thresholds}
 */
public record DriftSpec(
        Duration window, int minRows, DriftThresholds thresholds, Map<String, DriftThresholds> features) {
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final int DEFAULT_MIN_ROWS = 30;

    public DriftSpec {
        requireNonNull(window, "window");
        requireNonNull(thresholds, "thresholds");
        features = Map.copyOf(features);
        if (window.isNegative() || window.isZero()) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "drift.window: " + window + " (expected: a positive duration)");
        }
        if (minRows < 1) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "drift.min-rows: " + minRows + " (expected: >= 1)");
        }
    }

    /** One-hour windows, at least 30 values, default limits everywhere. */
    public static DriftSpec defaults() {
        return new DriftSpec(DEFAULT_WINDOW, DEFAULT_MIN_ROWS, DriftThresholds.inherit(), Map.of());
    }

    /** The limits for one column, every one of them set: its own, then the shared ones, then the defaults. */
    public DriftThresholds thresholdsFor(String column) {
        DriftThresholds shared = thresholds.orElse(DriftThresholds.defaults());
        DriftThresholds own = features.get(column);
        return own == null ? shared : own.orElse(shared);
    }
}
