package dev.slipway.drift;

/** How a monitored column's distribution is compared. */
public enum ColumnKind {
    /** FLOAT and INT features, and numeric outputs: decile bins, KS, Wasserstein. */
    NUMERIC,
    /** CATEGORICAL and BOOL features, and label outputs: one bin per category, chi-squared. */
    CATEGORICAL
}
