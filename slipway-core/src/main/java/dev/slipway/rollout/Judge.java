package dev.slipway.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.descriptive.Quantile;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.FisherExactTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Judges a candidate against the primary over the same window, one test per kind of harm: errors (Fisher's exact test,
 * one-sided), latency (Mann-Whitney U, one-sided, and a p50/p99 margin), prediction shift (two-sample
 * Kolmogorov-Smirnov and a distance margin), fallbacks (Fisher, one-sided) and the realised split (chi-squared
 * goodness of fit). A check without its minimum sample is {@code INSUFFICIENT}, never {@code PASS}.
 */
public final class Judge {
    /** Before a step's bake time ends, tests fail it only at this fraction of alpha (many looks, one decision). */
    static final double EARLY_ALPHA_FRACTION = 0.01;

    private static final int MIN_DISTRIBUTION_SAMPLE = 20;
    private static final double MIN_EXPECTED_COUNT = 5;
    private static final Quantile QUANTILE = Quantile.withDefaults();

    private Judge() {}

    /**
     * Judges a canary step.
     *
     * @param candidate what the canary did
     * @param primary what the primary did over the same window
     * @param candidateShare the canary's configured share of traffic, 0..1
     * @param minRequests requests each arm needs before a test can pass
     * @param baked whether the step's bake time has passed
     */
    public static Judgement canary(
            VariantSample candidate,
            VariantSample primary,
            double candidateShare,
            long minRequests,
            RolloutPlan.Checks thresholds,
            boolean baked) {
        double alpha = baked ? thresholds.alpha() : thresholds.alpha() * EARLY_ALPHA_FRACTION;
        boolean enough = candidate.requests() >= minRequests && primary.requests() >= minRequests;
        List<Check> checks = new ArrayList<>();
        checks.add(rate(
                "error-rate",
                candidate.errors(),
                candidate.requests(),
                primary.errors(),
                primary.requests(),
                alpha,
                enough,
                minRequests));
        checks.add(latency(candidate.latenciesMs(), primary.latenciesMs(), thresholds, alpha, enough, minRequests));
        checks.add(shift(candidate.scores(), primary.scores(), thresholds, alpha, enough, minRequests));
        checks.add(rate(
                "fallback-rate",
                candidate.fallbacks(),
                candidate.requests(),
                primary.fallbacks(),
                primary.requests(),
                alpha,
                enough,
                minRequests));
        checks.add(sampleRatio(candidate.units(), primary.units(), candidateShare, thresholds.srmAlpha()));
        return Judgement.of(baked, checks);
    }

    /**
     * Judges a shadow phase: the shadow's errors against the primary's, its latency against the primary's on the same
     * requests, decision disagreement against the allowed share (exact binomial test), and the score distributions.
     */
    public static Judgement shadow(
            ShadowSample shadow,
            VariantSample primary,
            RolloutPlan.ShadowPhase phase,
            RolloutPlan.Checks thresholds,
            boolean baked) {
        double alpha = baked ? thresholds.alpha() : thresholds.alpha() * EARLY_ALPHA_FRACTION;
        long min = phase.minRequests();
        boolean enough = shadow.copied() >= min && primary.requests() >= min;
        List<Check> checks = new ArrayList<>();
        checks.add(rate(
                "error-rate",
                shadow.errors(),
                shadow.copied(),
                primary.errors(),
                primary.requests(),
                alpha,
                enough,
                min));
        checks.add(latency(shadow.shadowLatenciesMs(), shadow.primaryLatenciesMs(), thresholds, alpha, enough, min));
        checks.add(disagreement(shadow, phase.maxDisagreement(), alpha, enough, min));
        checks.add(shift(shadow.shadowScores(), shadow.primaryScores(), thresholds, alpha, enough, min));
        return Judgement.of(baked, checks);
    }

    /** One-sided Fisher's exact test that the candidate's share of {@code name} events is higher. */
    static Check rate(
            String name,
            long candidateEvents,
            long candidateN,
            long primaryEvents,
            long primaryN,
            double alpha,
            boolean enough,
            long min) {
        double candidateRate = candidateN == 0 ? 0 : (double) candidateEvents / candidateN;
        double primaryRate = primaryN == 0 ? 0 : (double) primaryEvents / primaryN;
        if (!enough) {
            return insufficient(name, candidateRate, primaryRate, alpha, candidateN, primaryN, min);
        }
        int[][] table = {
            {Math.toIntExact(candidateEvents), Math.toIntExact(candidateN - candidateEvents)},
            {Math.toIntExact(primaryEvents), Math.toIntExact(primaryN - primaryEvents)}
        };
        SignificanceResult result = FisherExactTest.withDefaults()
                .with(AlternativeHypothesis.GREATER_THAN)
                .test(table);
        boolean harm = result.getPValue() < alpha;
        return new Check(
                name,
                harm ? Verdict.FAIL : Verdict.PASS,
                candidateRate,
                primaryRate,
                result.getStatistic(),
                result.getPValue(),
                alpha,
                candidateN,
                primaryN,
                String.format(
                        Locale.ROOT,
                        "%s %.4f vs %.4f (%d/%d vs %d/%d); one-sided Fisher p=%.3g %s %.3g",
                        name,
                        candidateRate,
                        primaryRate,
                        candidateEvents,
                        candidateN,
                        primaryEvents,
                        primaryN,
                        result.getPValue(),
                        harm ? "<" : ">=",
                        alpha));
    }

    /**
     * One-sided Mann-Whitney U test that the candidate is slower; it fails only when the difference is also beyond
     * the tolerance at p50 or p99 (a large sample makes a microsecond significant).
     */
    static Check latency(
            double[] candidate,
            double[] primary,
            RolloutPlan.Checks thresholds,
            double alpha,
            boolean enough,
            long min) {
        double candidateP99 = quantile(candidate, 0.99);
        double primaryP99 = quantile(primary, 0.99);
        if (!enough || candidate.length < MIN_DISTRIBUTION_SAMPLE || primary.length < MIN_DISTRIBUTION_SAMPLE) {
            return insufficient("latency", candidateP99, primaryP99, alpha, candidate.length, primary.length, min);
        }
        MannWhitneyUTest.Result result = MannWhitneyUTest.withDefaults()
                .with(AlternativeHypothesis.GREATER_THAN)
                .test(candidate, primary);
        double candidateP50 = quantile(candidate, 0.5);
        double primaryP50 = quantile(primary, 0.5);
        double factor = 1 + thresholds.latencyTolerance();
        double slack = thresholds.latencySlackMs();
        boolean beyondMargin = candidateP99 > primaryP99 * factor + slack || candidateP50 > primaryP50 * factor + slack;
        boolean harm = result.getPValue() < alpha && beyondMargin;
        return new Check(
                "latency",
                harm ? Verdict.FAIL : Verdict.PASS,
                candidateP99,
                primaryP99,
                result.getStatistic(),
                result.getPValue(),
                alpha,
                candidate.length,
                primary.length,
                String.format(
                        Locale.ROOT,
                        "p50 %.3f vs %.3f ms, p99 %.3f vs %.3f ms (margin x%.2f + %.2f ms %s); one-sided Mann-Whitney"
                                + " p=%.3g vs alpha %.3g",
                        candidateP50,
                        primaryP50,
                        candidateP99,
                        primaryP99,
                        factor,
                        slack,
                        beyondMargin ? "exceeded" : "kept",
                        result.getPValue(),
                        alpha));
    }

    /** Two-sample Kolmogorov-Smirnov test of the score distributions; fails beyond {@code max-prediction-shift}. */
    static Check shift(
            double[] candidate,
            double[] primary,
            RolloutPlan.Checks thresholds,
            double alpha,
            boolean enough,
            long min) {
        if (enough && candidate.length == 0 && primary.length == 0) {
            return new Check(
                    "prediction-shift",
                    Verdict.PASS,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    alpha,
                    0,
                    0,
                    "neither version declares a probability or score output; nothing to compare");
        }
        double candidateMean = mean(candidate);
        double primaryMean = mean(primary);
        if (!enough || candidate.length < MIN_DISTRIBUTION_SAMPLE || primary.length < MIN_DISTRIBUTION_SAMPLE) {
            return insufficient(
                    "prediction-shift", candidateMean, primaryMean, alpha, candidate.length, primary.length, min);
        }
        KolmogorovSmirnovTest.TwoResult result =
                KolmogorovSmirnovTest.withDefaults().test(candidate, primary);
        boolean beyond = result.getStatistic() > thresholds.maxPredictionShift();
        boolean harm = result.getPValue() < alpha && beyond;
        return new Check(
                "prediction-shift",
                harm ? Verdict.FAIL : Verdict.PASS,
                candidateMean,
                primaryMean,
                result.getStatistic(),
                result.getPValue(),
                alpha,
                candidate.length,
                primary.length,
                String.format(
                        Locale.ROOT,
                        "mean score %.4f vs %.4f; Kolmogorov-Smirnov D=%.4f (max %.4f), p=%.3g vs alpha %.3g",
                        candidateMean,
                        primaryMean,
                        result.getStatistic(),
                        thresholds.maxPredictionShift(),
                        result.getPValue(),
                        alpha));
    }

    /** Chi-squared goodness of fit of the realised split of units against the configured share. */
    static Check sampleRatio(long candidateUnits, long primaryUnits, double candidateShare, double alpha) {
        long total = candidateUnits + primaryUnits;
        double realised = total == 0 ? 0 : (double) candidateUnits / total;
        if (total * Math.min(candidateShare, 1 - candidateShare) < MIN_EXPECTED_COUNT) {
            return new Check(
                    "sample-ratio",
                    Verdict.INSUFFICIENT,
                    realised,
                    candidateShare,
                    Double.NaN,
                    Double.NaN,
                    alpha,
                    candidateUnits,
                    primaryUnits,
                    String.format(
                            Locale.ROOT,
                            "%d units; the chi-squared test needs an expected count of at least %.0f in each arm",
                            total,
                            MIN_EXPECTED_COUNT));
        }
        SignificanceResult result = ChiSquareTest.withDefaults()
                .test(
                        new double[] {total * candidateShare, total * (1 - candidateShare)},
                        new long[] {candidateUnits, primaryUnits});
        boolean mismatch = result.getPValue() < alpha;
        return new Check(
                "sample-ratio",
                mismatch ? Verdict.FAIL : Verdict.PASS,
                realised,
                candidateShare,
                result.getStatistic(),
                result.getPValue(),
                alpha,
                candidateUnits,
                primaryUnits,
                String.format(
                        Locale.ROOT,
                        "realised share %.4f vs configured %.4f over %d units; chi-squared %.2f, p=%.3g %s %.3g",
                        realised,
                        candidateShare,
                        total,
                        result.getStatistic(),
                        result.getPValue(),
                        mismatch ? "<" : ">=",
                        alpha));
    }

    /** Exact binomial test that the shadow's decisions disagree with the primary's more often than allowed. */
    static Check disagreement(ShadowSample shadow, double maxShare, double alpha, boolean enough, long min) {
        if (!enough || shadow.rows() == 0) {
            return insufficient(
                    "disagreement", shadow.disagreementRate(), maxShare, alpha, shadow.rows(), shadow.rows(), min);
        }
        int rows = (int) Math.min(Integer.MAX_VALUE, shadow.rows());
        int differ = (int) Math.min(rows, shadow.disagreements());
        SignificanceResult result = BinomialTest.withDefaults()
                .with(AlternativeHypothesis.GREATER_THAN)
                .test(rows, differ, Math.max(maxShare, 1e-12));
        boolean harm = result.getPValue() < alpha;
        double[] diffs = shadow.absDiffs();
        return new Check(
                "disagreement",
                harm ? Verdict.FAIL : Verdict.PASS,
                shadow.disagreementRate(),
                maxShare,
                result.getStatistic(),
                result.getPValue(),
                alpha,
                rows,
                rows,
                String.format(
                        Locale.ROOT,
                        "decisions differ on %d of %d rows (%.4f, allowed %.4f); |score diff| p50 %.4f p90 %.4f"
                                + " p99 %.4f max %.4f; one-sided binomial p=%.3g vs alpha %.3g",
                        differ,
                        rows,
                        shadow.disagreementRate(),
                        maxShare,
                        quantile(diffs, 0.5),
                        quantile(diffs, 0.9),
                        quantile(diffs, 0.99),
                        quantile(diffs, 1.0),
                        result.getPValue(),
                        alpha));
    }

    private static Check insufficient(
            String name, double candidate, double primary, double alpha, long candidateN, long primaryN, long min) {
        return new Check(
                name,
                Verdict.INSUFFICIENT,
                candidate,
                primary,
                Double.NaN,
                Double.NaN,
                alpha,
                candidateN,
                primaryN,
                String.format(
                        Locale.ROOT,
                        "%d vs %d observations; each side needs at least %d before this test can decide",
                        candidateN,
                        primaryN,
                        min));
    }

    /** A quantile of a sample, NaN for an empty one. */
    static double quantile(double[] values, double p) {
        return values.length == 0 ? Double.NaN : QUANTILE.evaluate(values, p);
    }

    private static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }
}
