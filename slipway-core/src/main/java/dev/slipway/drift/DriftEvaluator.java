package dev.slipway.drift;

import dev.slipway.api.manifest.DriftThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.SignificanceResult;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.jspecify.annotations.Nullable;

/** Computes one column's {@link FeatureDrift} from its reference and window state. */
final class DriftEvaluator {
    /** Below this many values on both sides the KS p-value is exact; commons-statistics' AUTO rule. */
    static final int KS_EXACT_BELOW = 10_000;

    private static final KolmogorovSmirnovTest KS = KolmogorovSmirnovTest.withDefaults();
    private static final ChiSquareTest CHI_SQUARED = ChiSquareTest.withDefaults();

    private DriftEvaluator() {}

    static FeatureDrift evaluate(FeatureWindow window, DriftThresholds limits, int minRows) {
        ReferenceColumn reference = window.reference();
        Column column = reference.column();
        DataQuality quality = quality(reference, window);
        List<BinCount> bins = new ArrayList<>();
        DriftScores scores = column.numeric() ? numeric(reference, window, bins) : categorical(reference, window, bins);
        List<String> reasons = new ArrayList<>();
        DriftStatus status;
        if (reference.count() == 0 || window.count() < minRows) {
            status = DriftStatus.INSUFFICIENT_DATA;
        } else {
            above(reasons, "psi", scores.psi(), limits.psi());
            above(reasons, "js distance", scores.jsDistance(), limits.jsDistance());
            below(reasons, "ks p-value", scores.ksPValue(), limits.ksPValue());
            below(reasons, "chi-squared p-value", scores.chiSquaredPValue(), limits.chiSquaredPValue());
            above(reasons, "normalised wasserstein", scores.wassersteinNormalized(), limits.wassersteinNormalized());
            if (!reasons.isEmpty()) {
                status = DriftStatus.DRIFTED;
            } else if (above(reasons, "psi", scores.psi(), limits.psiWarning())) {
                status = DriftStatus.WARNING;
            } else {
                status = DriftStatus.OK;
            }
        }
        int before = reasons.size();
        double missingLimit = quality.referenceMissingShare() + value(limits.missingShareIncrease());
        above(reasons, "missing share", quality.missingShare(), missingLimit);
        above(reasons, "out-of-contract share", quality.outOfContractShare(), value(limits.outOfContractShare()));
        above(reasons, "unseen-category share", quality.unseenShare(), value(limits.unseenShare()));
        boolean qualityIssue = reasons.size() > before;
        return new FeatureDrift(
                reference.name(),
                column.kind(),
                column.prediction(),
                quality,
                scores,
                bins,
                status,
                qualityIssue,
                reasons);
    }

    private static DataQuality quality(ReferenceColumn reference, FeatureWindow window) {
        double rows = window.rows();
        return new DataQuality(
                window.rows(),
                window.count(),
                window.missingCount(),
                window.outOfContract(),
                window.unseen(),
                rows == 0 ? Double.NaN : window.missingCount() / rows,
                reference.rows() == 0 ? Double.NaN : reference.missing() / (double) reference.rows(),
                rows == 0 ? Double.NaN : window.outOfContract() / rows,
                rows == 0 ? Double.NaN : window.unseen() / rows);
    }

    private static DriftScores numeric(ReferenceColumn reference, FeatureWindow window, List<BinCount> bins) {
        double[] edges = reference.edges();
        long[] referenceCounts = reference.counts();
        long[] currentCounts = window.counts();
        for (int i = 0; i < referenceCounts.length; i++) {
            double lower = i == 0 ? Double.NEGATIVE_INFINITY : edges[i - 1];
            double upper = i == edges.length ? Double.POSITIVE_INFINITY : edges[i];
            bins.add(new BinCount(interval(lower, upper), lower, upper, referenceCounts[i], currentCounts[i]));
        }
        long n = reference.count();
        long m = window.count();
        double psi = Double.NaN;
        double js = Double.NaN;
        double d = Double.NaN;
        double p = Double.NaN;
        double error = 0;
        double wasserstein = Double.NaN;
        KsMethod method = KsMethod.NONE;
        if (n > 0 && m > 0) {
            psi = DriftMath.psi(referenceCounts, n, currentCounts, m);
            js = DriftMath.jsDistance(referenceCounts, n, currentCounts, m);
            if (window.exact()) {
                double[] current = window.sortedValues();
                DriftMath.Distances distances = DriftMath.distances(reference.sorted(), null, current, null);
                d = distances.ks();
                wasserstein = distances.wasserstein();
                if (n >= 2 && m >= 2) {
                    KolmogorovSmirnovTest.TwoResult result = KS.test(reference.sorted(), current);
                    d = result.getStatistic();
                    p = result.getPValue();
                    method = Math.max(n, m) < KS_EXACT_BELOW ? KsMethod.EXACT : KsMethod.ASYMPTOTIC;
                }
            } else {
                KllDoublesSketch sketch = window.sketch();
                DoublesSortedView view = sketch.getSortedView();
                double[] items = view.getQuantiles();
                long[] cumulative = view.getCumulativeWeights();
                long[] weights = new long[cumulative.length];
                for (int i = 0; i < cumulative.length; i++) {
                    weights[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
                }
                DriftMath.Distances distances = DriftMath.distances(reference.sorted(), null, items, weights);
                d = distances.ks();
                wasserstein = distances.wasserstein();
                error = sketch.getNormalizedRankError(false);
                double effective = Math.sqrt((double) n * m / (n + m));
                p = DriftMath.kolmogorovSf(effective * Math.max(0, d - error));
                method = KsMethod.SKETCH;
            }
        }
        double std = reference.std();
        return new DriftScores(
                psi,
                js,
                d,
                p,
                method,
                error,
                wasserstein,
                std > 0 ? wasserstein / std : Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                reference.mean(),
                std);
    }

    private static DriftScores categorical(ReferenceColumn reference, FeatureWindow window, List<BinCount> bins) {
        List<String> labels = reference.labels();
        long[] referenceKnown = reference.counts();
        long[] currentKnown = window.counts();
        List<long[]> pairs = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (referenceKnown[i] > 0 || currentKnown[i] > 0) {
                bins.add(new BinCount(labels.get(i), Double.NaN, Double.NaN, referenceKnown[i], currentKnown[i]));
                pairs.add(new long[] {referenceKnown[i], currentKnown[i]});
            }
        }
        for (Map.Entry<String, Long> other : new java.util.TreeMap<>(window.otherLabels()).entrySet()) {
            bins.add(new BinCount(other.getKey(), Double.NaN, Double.NaN, 0, other.getValue()));
            pairs.add(new long[] {0, other.getValue()});
        }
        int k = pairs.size();
        long[] referenceCounts = new long[k];
        long[] currentCounts = new long[k];
        for (int i = 0; i < k; i++) {
            referenceCounts[i] = pairs.get(i)[0];
            currentCounts[i] = pairs.get(i)[1];
        }
        long n = reference.count();
        long m = window.count();
        double psi = Double.NaN;
        double js = Double.NaN;
        double chiSquared = Double.NaN;
        double chiSquaredP = Double.NaN;
        int dof = 0;
        if (n > 0 && m > 0) {
            psi = DriftMath.psi(referenceCounts, n, currentCounts, m);
            js = DriftMath.jsDistance(referenceCounts, n, currentCounts, m);
            if (k < 2) {
                chiSquared = 0;
                chiSquaredP = 1;
            } else {
                SignificanceResult result = CHI_SQUARED.test(new long[][] {referenceCounts, currentCounts});
                chiSquared = result.getStatistic();
                chiSquaredP = result.getPValue();
                dof = k - 1;
            }
        }
        return new DriftScores(
                psi,
                js,
                Double.NaN,
                Double.NaN,
                KsMethod.NONE,
                0,
                Double.NaN,
                Double.NaN,
                chiSquared,
                chiSquaredP,
                dof,
                Double.NaN,
                Double.NaN);
    }

    static String interval(double lower, double upper) {
        return "(" + number(lower) + ", " + number(upper) + "]";
    }

    static String number(double value) {
        if (value == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (value == Double.POSITIVE_INFINITY) {
            return "+inf";
        }
        return String.format(Locale.ROOT, "%.4g", value)
                .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
                .replace(".e", "e")
                .replaceAll("\\.$", "");
    }

    private static double value(@Nullable Double limit) {
        return limit == null ? Double.POSITIVE_INFINITY : limit;
    }

    private static boolean above(List<String> reasons, String what, double score, @Nullable Double limit) {
        if (limit != null && score > limit) {
            reasons.add(what + " " + number(score) + " > " + number(limit));
            return true;
        }
        return false;
    }

    private static void below(List<String> reasons, String what, double score, @Nullable Double limit) {
        if (limit != null && score < limit) {
            reasons.add(what + " " + number(score) + " < " + number(limit));
        }
    }
}
