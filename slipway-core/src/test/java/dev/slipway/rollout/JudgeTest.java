package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The judge's tests and guards, on samples with known properties. */
class JudgeTest {
    static final RolloutPlan.Checks CHECKS = RolloutPlan.Checks.of(null, null, null, null, null);

    @Test
    void anEmptyOrTinySampleIsNeverAPass() {
        Judgement empty = Judge.canary(VariantSample.EMPTY, VariantSample.EMPTY, 0.05, 100, CHECKS, true);
        assertThat(empty.verdict()).isEqualTo(Verdict.INSUFFICIENT);
        assertThat(empty.checks())
                .allSatisfy(check -> assertThat(check.verdict()).isEqualTo(Verdict.INSUFFICIENT));

        Judgement tiny =
                Judge.canary(sample(99, 0, 0, 1.0, 0.3), sample(2000, 2, 0, 1.0, 0.3), 0.05, 100, CHECKS, true);
        assertThat(tiny.verdict()).isEqualTo(Verdict.INSUFFICIENT);
    }

    @Test
    void equalArmsPassOnceBakedAndHoldBefore() {
        VariantSample canary = sample(1000, 1, 0, 2.0, 0.3);
        VariantSample primary = sample(19000, 20, 0, 2.0, 0.3);
        assertThat(Judge.canary(canary, primary, 0.05, 500, CHECKS, true).verdict())
                .isEqualTo(Verdict.PASS);
        Judgement early = Judge.canary(canary, primary, 0.05, 500, CHECKS, false);
        assertThat(early.verdict()).isEqualTo(Verdict.INSUFFICIENT);
        assertThat(early.baked()).isFalse();
    }

    @Test
    void errorRateUsesOneSidedFisherWithItsPValueReported() {
        // 12/400 vs 2/400: one-sided Fisher exact p = 0.006100 (scipy.stats.fisher_exact(table, "greater"))
        Check check = Judge.rate("error-rate", 12, 400, 2, 400, 0.01, true, 100);
        assertThat(check.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(check.pValue()).isCloseTo(0.006100, within(0.000001));
        assertThat(check.detail()).contains("12/400 vs 2/400");
        // fewer errors on the candidate is never harm
        assertThat(Judge.rate("error-rate", 2, 400, 12, 400, 0.01, true, 100).verdict())
                .isEqualTo(Verdict.PASS);
    }

    @Test
    void aSignificantButTinyLatencyDifferenceWithinTheMarginPasses() {
        double[] primary = latencies(20_000, 2.0, 1);
        double[] canary = latencies(20_000, 2.05, 2); // 2.5 % slower: significant at n=20,000, within 20 % + 1 ms
        Check check = Judge.latency(canary, primary, CHECKS, 0.01, true, 100);
        assertThat(check.pValue()).isLessThan(0.01);
        assertThat(check.verdict()).isEqualTo(Verdict.PASS);
        Check slow = Judge.latency(latencies(2000, 4.0, 3), primary, CHECKS, 0.01, true, 100);
        assertThat(slow.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void sampleRatioMismatchFailsAtTheStrictAlphaOnly() {
        // 5.5 % realised vs 5 % configured over 20,000 units: chi-squared 10.53, p = 0.00118 (scipy.stats.chisquare) ->
        // not below 0.001
        assertThat(Judge.sampleRatio(1100, 18900, 0.05, 0.001).verdict()).isEqualTo(Verdict.PASS);
        // 6 % realised: chi-squared 42.1, p ~ 1e-10
        Check broken = Judge.sampleRatio(1200, 18800, 0.05, 0.001);
        assertThat(broken.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(broken.statistic()).isCloseTo(42.1053, within(0.0001));
        assertThat(Judge.sampleRatio(3, 40, 0.05, 0.001).verdict()).isEqualTo(Verdict.INSUFFICIENT);
    }

    @Test
    void aShiftedScoreDistributionFailsOnlyBeyondTheAllowedDistance() {
        double[] primary = scores(5000, 0.0, 1);
        assertThat(Judge.shift(scores(5000, 0.0, 2), primary, CHECKS, 0.01, true, 100)
                        .verdict())
                .isEqualTo(Verdict.PASS);
        assertThat(Judge.shift(scores(5000, 0.2, 3), primary, CHECKS, 0.01, true, 100)
                        .verdict())
                .isEqualTo(Verdict.FAIL);
        RolloutPlan.Checks lenient = RolloutPlan.Checks.of(null, null, null, 1.0, null);
        assertThat(Judge.shift(scores(5000, 0.2, 3), primary, lenient, 0.01, true, 100)
                        .verdict())
                .isEqualTo(Verdict.PASS);
    }

    private static VariantSample sample(long requests, long errors, long fallbacks, double latencyMs, double shift) {
        return new VariantSample(
                requests,
                errors,
                fallbacks,
                requests,
                latencies((int) Math.min(requests, 5000), latencyMs, requests),
                scores((int) Math.min(requests, 5000), 0, requests + 1),
                0,
                0,
                Double.NaN,
                Double.NaN);
    }

    private static double[] latencies(int n, double meanMs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = meanMs * (0.75 + random.nextDouble() * 0.5);
        }
        return values;
    }

    private static double[] scores(int n, double shift, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.min(1, Math.pow(random.nextDouble(), 2) + shift);
        }
        return values;
    }
}
