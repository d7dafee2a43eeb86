package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

/**
 * Golden examples: rows with the outputs the research code produced.
 *
 * @param file CSV file relative to the manifest: one column per feature, then one per served output to compare
 * @param tolerance the largest absolute difference accepted per value
 */
public record GoldenSpec(String file, double tolerance) {
    public GoldenSpec {
        requireNonNull(file, "file");
    }
}
