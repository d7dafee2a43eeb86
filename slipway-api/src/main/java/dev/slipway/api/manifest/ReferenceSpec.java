package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

/**
 * The reference sample drift is measured against: training-time features and predictions.
 *
 * @param file CSV file relative to the manifest, with the same columns as the golden file
 */
public record ReferenceSpec(String file) {
    public ReferenceSpec {
        requireNonNull(file, "file");
    }
}
