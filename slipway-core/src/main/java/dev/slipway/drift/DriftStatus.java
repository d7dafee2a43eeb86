package dev.slipway.drift;

/** The verdict on one column's distribution in one window. */
public enum DriftStatus {
    /** No limit is exceeded. */
    OK,
    /** PSI is above the warning limit but no drift limit is exceeded. */
    WARNING,
    /** At least one drift limit is exceeded; the reasons say which. */
    DRIFTED,
    /** Too few values (fewer than the manifest's {@code min-rows}, or none in the reference) to judge. */
    INSUFFICIENT_DATA
}
