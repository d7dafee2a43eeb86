package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The A/B statistics against values computed independently with scipy (numbers in each test's comment). */
class ExperimentsTest {
    @Test
    void positiveRateDifferenceUsesTheUncorrectedChiSquaredTestAndAWaldInterval() {
        // scipy.stats.chi2_contingency([[300, 700], [250, 750]], correction=False) -> 6.2696, p = 0.0122827
        VariantSample treatment = rates(1000, 300);
        VariantSample control = rates(1000, 250);

        Check check = Experiments.positiveRate("b", treatment, control, true, 100);

        assertThat(check.statistic()).isCloseTo(0.05, within(1e-12));
        assertThat(check.pValue()).isCloseTo(0.0122827, within(1e-6));
        // Wald: 0.05 -+ 1.959964 * sqrt(.3*.7/1000 + .25*.75/1000) = 0.01091 .. 0.08909
        assertThat(check.detail()).contains("95% CI +0.0109..+0.0891", "significant at 5 %");
    }

    @Test
    void meanScoreDifferenceUsesWelch() {
        // scipy.stats.ttest_ind_from_stats(0.42, sqrt(0.04), 1000, 0.40, sqrt(0.05), 1200, equal_var=False)
        //   -> t = 2.21313, p = 0.0269913; df = 2187.01, 95 % CI 0.0022781 .. 0.0377219
        VariantSample treatment = scores(1000, 0.42, 0.04);
        VariantSample control = scores(1200, 0.40, 0.05);

        Check check = Experiments.meanScore("b", treatment, control, true, 100);

        assertThat(check.statistic()).isCloseTo(0.02, within(1e-12));
        assertThat(check.pValue()).isCloseTo(0.0269913, within(1e-6));
        assertThat(check.detail()).contains("95% CI +0.0023..+0.0377");
    }

    private static VariantSample rates(long rows, long positives) {
        return new VariantSample(rows, 0, 0, rows, new double[0], new double[0], rows, positives, 0.5, 0.1);
    }

    private static VariantSample scores(long rows, double mean, double variance) {
        return new VariantSample(rows, 0, 0, rows, new double[0], new double[0], rows, 0, mean, variance);
    }
}
