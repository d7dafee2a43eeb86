package dev.slipway.drift;

/** How a Kolmogorov-Smirnov p-value was computed. */
public enum KsMethod {
    /**
     * Exact {@code P(D >= d)} (commons-statistics {@code KolmogorovSmirnovTest}, Viehmann 2021 / Hodges 1958): both
     * sides kept exactly and both under 10,000 values. The same as {@code scipy.stats.ks_2samp(method='exact')}.
     */
    EXACT,
    /**
     * Smirnov's asymptotic formula, the finite-n Kolmogorov distribution at {@code n = round(nm / (n + m))}: both sides
     * kept exactly, one of them with 10,000 values or more. The same as {@code ks_2samp(method='asymp')}.
     */
    ASYMPTOTIC,
    /**
     * The window kept only its KLL sketch: D is measured between the exact reference and the sketch's distribution,
     * and the p-value is the limiting Kolmogorov distribution's {@code Q(sqrt(nm / (n + m)) * max(0, D - eps))}, eps
     * being the sketch's single-sided rank error: conservative, so sketch error alone does not produce drift. The
     * Wasserstein distance then comes from the sketch too and is within {@code eps * (max - min)} of the exact one.
     */
    SKETCH,
    /** Not computed: a categorical column, or fewer than two values on a side. */
    NONE
}
