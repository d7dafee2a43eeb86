package dev.slipway.drift;

import static java.util.Objects.requireNonNull;

/**
 * The drift statistics of one column in one window; NaN where a statistic does not apply or cannot be computed.
 *
 * @param psi population stability index over the bins (natural log, 1e-4 for an empty bin's proportion)
 * @param jsDistance Jensen-Shannon distance, base 2, over the same bins
 * @param ksStatistic two-sample Kolmogorov-Smirnov D (numeric)
 * @param ksPValue its two-sided p-value, computed by {@code ksMethod}
 * @param ksMethod how the p-value was computed
 * @param ksError the bound on D's error: the sketch's single-sided rank error for {@link KsMethod#SKETCH}, else 0
 * @param wasserstein Wasserstein-1 distance (numeric), in the column's unit
 * @param wassersteinNormalized {@code wasserstein} divided by the reference's population standard deviation
 * @param chiSquared chi-squared statistic of the 2 x K contingency table (categorical; no continuity correction)
 * @param chiSquaredPValue its p-value, K - 1 degrees of freedom
 * @param chiSquaredDof K - 1
 * @param referenceMean the reference's mean (numeric)
 * @param referenceStd the reference's population standard deviation (numeric)
 */
public record DriftScores(
        double psi,
        double jsDistance,
        double ksStatistic,
        double ksPValue,
        KsMethod ksMethod,
        double ksError,
        double wasserstein,
        double wassersteinNormalized,
        double chiSquared,
        double chiSquaredPValue,
        int chiSquaredDof,
        double referenceMean,
        double referenceStd) {
    public DriftScores {
        requireNonNull(ksMethod, "ksMethod");
    }
}
