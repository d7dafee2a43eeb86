package dev.slipway.api.manifest;

/** The kind of value a named feature holds. */
public enum FeatureType {
    /** A real number; {@code NaN} and infinities are never valid values. */
    FLOAT,
    /** A whole number. */
    INT,
    /** {@code true}/{@code false}, encoded as 1/0 for tensor models. */
    BOOL,
    /** One of a closed set of named categories, each encoded as its integer code for tensor models. */
    CATEGORICAL
}
