package dev.slipway.drift;

import static java.util.Objects.requireNonNull;

/**
 * One bin of a column's comparison: a reference decile bin {@code (lower, upper]} of a numeric column (outer bins
 * open: -inf, +inf), or one category of a categorical column (bounds NaN).
 *
 * @param label {@code (12.5, 40]} or the category's name
 * @param lower the exclusive lower bound (numeric)
 * @param upper the inclusive upper bound (numeric)
 * @param reference the reference sample's count
 * @param current the window's count
 */
public record BinCount(String label, double lower, double upper, long reference, long current) {
    public BinCount {
        requireNonNull(label, "label");
    }
}
