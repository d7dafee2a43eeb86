package dev.slipway.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.SignificanceResult;
import org.apache.commons.statistics.inference.TTest;
import org.jspecify.annotations.Nullable;

/**
 * The report of an A/B(/n) test over its current window. For every arm against the control: the positive-decision
 * rate (difference, 95 % Wald interval, two-sided chi-squared p-value), the mean score (difference, 95 % Welch
 * interval, Welch's t-test), and the same error and latency guards as a canary. Across all arms: the sample-ratio
 * check (chi-squared goodness of fit, alpha 0.001). The verdict is {@code FAIL} on a sample-ratio mismatch or harm,
 * {@code INSUFFICIENT} until every arm has scored {@code minRows} rows, else {@code PASS}: the effects can be read.
 */
public final class Experiments {
    /** Significance level of the sample-ratio check, strict because it is re-run on every tick. */
    static final double SRM_ALPHA = 0.001;

    private static final double ALPHA = 0.05;
    private static final double Z = NormalDistribution.of(0, 1).inverseSurvivalProbability(ALPHA / 2);
    private static final RolloutPlan.Checks GUARDS = RolloutPlan.Checks.of(0.01, null, null, 1.0, SRM_ALPHA);

    private Experiments() {}

    /** The report over a window (none: nothing observed yet). */
    public static Judgement report(@Nullable Window window, Experiment experiment) {
        List<RoutingTable.Arm> arms = experiment.arms();
        List<VariantSample> samples = new ArrayList<>();
        for (RoutingTable.Arm arm : arms) {
            samples.add(window == null ? VariantSample.EMPTY : window.sample(arm.variant()));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(sampleRatio(arms, samples));
        VariantSample control = samples.get(0);
        for (int i = 1; i < arms.size(); i++) {
            String arm = arms.get(i).variant();
            VariantSample treatment = samples.get(i);
            boolean enough = control.rows() >= experiment.minRows() && treatment.rows() >= experiment.minRows();
            checks.add(positiveRate(arm, treatment, control, enough, experiment.minRows()));
            checks.add(meanScore(arm, treatment, control, enough, experiment.minRows()));
            checks.add(renamed(
                    Judge.rate(
                            "error-rate",
                            treatment.errors(),
                            treatment.requests(),
                            control.errors(),
                            control.requests(),
                            GUARDS.alpha(),
                            enough,
                            experiment.minRows()),
                    arm));
            checks.add(renamed(
                    Judge.latency(
                            treatment.latenciesMs(),
                            control.latenciesMs(),
                            GUARDS,
                            GUARDS.alpha(),
                            enough,
                            experiment.minRows()),
                    arm));
        }
        return Judgement.of(true, checks);
    }

    /** Chi-squared goodness of fit of units per arm against the weights. */
    static Check sampleRatio(List<RoutingTable.Arm> arms, List<VariantSample> samples) {
        long total = 0;
        long[] observed = new long[arms.size()];
        for (int i = 0; i < arms.size(); i++) {
            observed[i] = samples.get(i).units();
            total += observed[i];
        }
        double[] expected = new double[arms.size()];
        double smallest = Double.MAX_VALUE;
        for (int i = 0; i < arms.size(); i++) {
            expected[i] = total * arms.get(i).weight() / (double) Buckets.COUNT;
            smallest = Math.min(smallest, expected[i]);
        }
        double realised = total == 0 ? 0 : (double) (total - observed[0]) / total;
        double configured = 1 - arms.get(0).weight() / (double) Buckets.COUNT;
        if (smallest < 5) {
            return new Check(
                    "sample-ratio",
                    Verdict.INSUFFICIENT,
                    realised,
                    configured,
                    Double.NaN,
                    Double.NaN,
                    SRM_ALPHA,
                    total - observed[0],
                    observed[0],
                    String.format(Locale.ROOT, "%d units; each arm needs an expected count of at least 5", total));
        }
        SignificanceResult result = ChiSquareTest.withDefaults().test(expected, observed);
        boolean mismatch = result.getPValue() < SRM_ALPHA;
        StringBuilder split = new StringBuilder();
        for (int i = 0; i < arms.size(); i++) {
            split.append(i == 0 ? "" : ", ")
                    .append(String.format(
                            Locale.ROOT,
                            "%s %d (%.2f %% vs %.2f %%)",
                            arms.get(i).variant(),
                            observed[i],
                            100.0 * observed[i] / total,
                            arms.get(i).weight() / 100.0));
        }
        return new Check(
                "sample-ratio",
                mismatch ? Verdict.FAIL : Verdict.PASS,
                realised,
                configured,
                result.getStatistic(),
                result.getPValue(),
                SRM_ALPHA,
                total - observed[0],
                observed[0],
                String.format(
                        Locale.ROOT,
                        "units %s; chi-squared %.2f with %d df, p=%.3g %s %.3g",
                        split,
                        result.getStatistic(),
                        arms.size() - 1,
                        result.getPValue(),
                        mismatch ? "<" : ">=",
                        SRM_ALPHA));
    }

    /** Difference in positive-decision rate, its 95 % Wald interval and the two-sided chi-squared p-value. */
    static Check positiveRate(String arm, VariantSample treatment, VariantSample control, boolean enough, long min) {
        double pt = treatment.positiveRate();
        double pc = control.positiveRate();
        String name = "positive-rate:" + arm;
        if (!enough) {
            return insufficient(name, pt, pc, treatment.rows(), control.rows(), min);
        }
        double diff = pt - pc;
        double se = Math.sqrt(pt * (1 - pt) / treatment.rows() + pc * (1 - pc) / control.rows());
        long[][] table = {
            {treatment.positives(), treatment.rows() - treatment.positives()},
            {control.positives(), control.rows() - control.positives()}
        };
        double p = degenerate(table)
                ? 1.0
                : ChiSquareTest.withDefaults().test(table).getPValue();
        return new Check(
                name,
                Verdict.PASS,
                pt,
                pc,
                diff,
                p,
                ALPHA,
                treatment.rows(),
                control.rows(),
                String.format(
                        Locale.ROOT,
                        "positive rate %.4f vs %.4f: difference %+.4f (95%% CI %+.4f..%+.4f, relative %+.1f %%),"
                                + " chi-squared p=%.3g%s",
                        pt,
                        pc,
                        diff,
                        diff - Z * se,
                        diff + Z * se,
                        pc == 0 ? Double.NaN : 100 * diff / pc,
                        p,
                        p < ALPHA ? " (significant at 5 %)" : " (not significant)"));
    }

    /** Difference in mean score, its 95 % Welch interval and Welch's t-test. */
    static Check meanScore(String arm, VariantSample treatment, VariantSample control, boolean enough, long min) {
        String name = "mean-score:" + arm;
        if (!enough || treatment.rows() < 2 || control.rows() < 2) {
            return insufficient(
                    name, treatment.scoreMean(), control.scoreMean(), treatment.rows(), control.rows(), min);
        }
        double vt = treatment.scoreVariance() / treatment.rows();
        double vc = control.scoreVariance() / control.rows();
        double diff = treatment.scoreMean() - control.scoreMean();
        double se = Math.sqrt(vt + vc);
        double p;
        double half;
        if (se == 0) {
            p = diff == 0 ? 1.0 : 0.0;
            half = 0;
        } else {
            TTest.Result result = TTest.withDefaults()
                    .test(
                            treatment.scoreMean(),
                            treatment.scoreVariance(),
                            treatment.rows(),
                            control.scoreMean(),
                            control.scoreVariance(),
                            control.rows());
            p = result.getPValue();
            half = TDistribution.of(result.getDegreesOfFreedom()).inverseSurvivalProbability(ALPHA / 2) * se;
        }
        return new Check(
                name,
                Verdict.PASS,
                treatment.scoreMean(),
                control.scoreMean(),
                diff,
                p,
                ALPHA,
                treatment.rows(),
                control.rows(),
                String.format(
                        Locale.ROOT,
                        "mean score %.4f vs %.4f: difference %+.4f (95%% CI %+.4f..%+.4f), Welch t-test p=%.3g%s",
                        treatment.scoreMean(),
                        control.scoreMean(),
                        diff,
                        diff - half,
                        diff + half,
                        p,
                        p < ALPHA ? " (significant at 5 %)" : " (not significant)"));
    }

    private static boolean degenerate(long[][] table) {
        return table[0][0] + table[1][0] == 0 || table[0][1] + table[1][1] == 0;
    }

    private static Check renamed(Check check, String arm) {
        return new Check(
                check.name() + ":" + arm,
                check.verdict(),
                check.candidate(),
                check.primary(),
                check.statistic(),
                check.pValue(),
                check.alpha(),
                check.candidateN(),
                check.primaryN(),
                check.detail());
    }

    private static Check insufficient(String name, double treatment, double control, long nt, long nc, long min) {
        return new Check(
                name,
                Verdict.INSUFFICIENT,
                treatment,
                control,
                Double.NaN,
                Double.NaN,
                ALPHA,
                nt,
                nc,
                String.format(Locale.ROOT, "%d vs %d rows; each arm needs at least %d", nt, nc, min));
    }
}
