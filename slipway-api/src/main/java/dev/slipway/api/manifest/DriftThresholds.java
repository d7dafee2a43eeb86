package dev.slipway.api.manifest;

import org.jspecify.annotations.Nullable;

/**
 * When a feature's (or a prediction's) window counts as drifted, as a warning, or as a data-quality problem. Each value
 * is optional: {@code null} means "inherit" (from the manifest's {@code drift.thresholds}, then from {@link
 * #defaults()}). A limit is switched off with {@link #OFF} for the upper limits ({@code psi > +inf} never holds) and
 * {@code 0} for p-values ({@code p < 0} never holds); the manifest says {@code off} for either.
 *
 * @param psiWarning PSI above this is a warning (default 0.1)
 * @param psi PSI above this is drift (default 0.2)
 * @param jsDistance Jensen-Shannon distance (base 2) above this is drift (default 0.1)
 * @param ksPValue a numeric column drifts when the Kolmogorov-Smirnov p-value is below this (default 0.01)
 * @param chiSquaredPValue a categorical column drifts when the chi-squared p-value is below this (default 0.01)
 * @param wassersteinNormalized the Wasserstein-1 distance divided by the reference standard deviation above this is
 *     drift (default: off)
 * @param missingShareIncrease a data-quality problem when the window's missing share exceeds the reference's by more
 *     than this (default 0.05)
 * @param outOfContractShare a data-quality problem when the share of values breaking the contract exceeds this
 *     (default 0.01)
 * @param unseenShare a data-quality problem when the share of categories absent from the reference exceeds this
 *     (default 0.01)
 */
public record DriftThresholds(
        @Nullable Double psiWarning,
        @Nullable Double psi,
        @Nullable Double jsDistance,
        @Nullable Double ksPValue,
        @Nullable Double chiSquaredPValue,
        @Nullable Double wassersteinNormalized,
        @Nullable Double missingShareIncrease,
        @Nullable Double outOfContractShare,
        @Nullable Double unseenShare) {

    /** The value of a switched-off upper limit. */
    public static final double OFF = Double.POSITIVE_INFINITY;

    public static final double DEFAULT_PSI_WARNING = 0.1;
    public static final double DEFAULT_PSI = 0.2;
    public static final double DEFAULT_JS_DISTANCE = 0.1;
    public static final double DEFAULT_KS_P_VALUE = 0.01;
    public static final double DEFAULT_CHI_SQUARED_P_VALUE = 0.01;
    public static final double DEFAULT_WASSERSTEIN_NORMALIZED = OFF;
    public static final double DEFAULT_MISSING_SHARE_INCREASE = 0.05;
    public static final double DEFAULT_OUT_OF_CONTRACT_SHARE = 0.01;
    public static final double DEFAULT_UNSEEN_SHARE = 0.01;

    /** Every limit at its default. */
    public static DriftThresholds defaults() {
        return new DriftThresholds(
                DEFAULT_PSI_WARNING,
                DEFAULT_PSI,
                DEFAULT_JS_DISTANCE,
                DEFAULT_KS_P_VALUE,
                DEFAULT_CHI_SQUARED_P_VALUE,
                DEFAULT_WASSERSTEIN_NORMALIZED,
                DEFAULT_MISSING_SHARE_INCREASE,
                DEFAULT_OUT_OF_CONTRACT_SHARE,
                DEFAULT_UNSEEN_SHARE);
    }

    /** Nothing set: every limit inherits. */
    public static DriftThresholds inherit() {
        return new DriftThresholds(null, null, null, null, null, null, null, null, null);
    }

    /** These limits, each unset one taken from {@code fallback}. */
    public DriftThresholds orElse(DriftThresholds fallback) {
        return new DriftThresholds(
                psiWarning != null ? psiWarning : fallback.psiWarning,
                psi != null ? psi : fallback.psi,
                jsDistance != null ? jsDistance : fallback.jsDistance,
                ksPValue != null ? ksPValue : fallback.ksPValue,
                chiSquaredPValue != null ? chiSquaredPValue : fallback.chiSquaredPValue,
                wassersteinNormalized != null ? wassersteinNormalized : fallback.wassersteinNormalized,
                missingShareIncrease != null ? missingShareIncrease : fallback.missingShareIncrease,
                outOfContractShare != null ? outOfContractShare : fallback.outOfContractShare,
                unseenShare != null ? unseenShare : fallback.unseenShare);
    }
}
