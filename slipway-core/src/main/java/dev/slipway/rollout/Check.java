package dev.slipway.rollout;

/**
 * One test of the candidate against the primary, with everything needed to see why it came out as it did.
 *
 * @param name what is tested: {@code error-rate}, {@code latency}, {@code prediction-shift}, {@code fallback-rate},
 *     {@code sample-ratio}, {@code disagreement}
 * @param verdict the outcome
 * @param candidate the candidate's value of the metric (a rate, p99 milliseconds, a share)
 * @param primary the primary's value of the metric (for the sample ratio: the expected share)
 * @param statistic the test statistic (odds ratio, U, D, chi-squared), NaN when not computed
 * @param pValue the p-value, NaN when not computed
 * @param alpha the significance level applied
 * @param candidateN the candidate's sample size
 * @param primaryN the primary's sample size
 * @param detail one line of explanation
 */
public record Check(
        String name,
        Verdict verdict,
        double candidate,
        double primary,
        double statistic,
        double pValue,
        double alpha,
        long candidateN,
        long primaryN,
        String detail) {}
