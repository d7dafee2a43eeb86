package dev.slipway.drift;

import org.jspecify.annotations.Nullable;

/**
 * The numeric conventions of the drift statistics, each written to match a named reference implementation (numpy and
 * scipy); the tests compare with numbers those produced.
 */
final class DriftMath {
    /** A proportion of exactly 0 is replaced by this in PSI, on its own side only. */
    static final double PSI_EPSILON = 1e-4;

    private DriftMath() {}

    /**
     * The {@code p}-quantile of sorted values with linear interpolation, as numpy's default {@code np.quantile}
     * computes it (including its two-sided interpolation formula).
     */
    static double quantile(double[] sorted, double p) {
        int n = sorted.length;
        double virtual = (n - 1) * p;
        double previous = Math.floor(virtual);
        int below = (int) previous;
        int above = Math.min(below + 1, n - 1);
        if (virtual >= n - 1) {
            below = n - 1;
            above = n - 1;
        }
        double gamma = virtual - previous;
        double a = sorted[below];
        double b = sorted[above];
        double difference = b - a;
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
    }

    /** The inner PSI edges: the 10 %..90 % quantiles, duplicates removed, ascending. Empty for no values. */
    static double[] decileEdges(double[] sorted) {
        if (sorted.length == 0) {
            return new double[0];
        }
        double[] edges = new double[9];
        int size = 0;
        for (int k = 1; k <= 9; k++) {
            double edge = quantile(sorted, k / 10.0);
            if (size == 0 || edge != edges[size - 1]) {
                edges[size++] = edge;
            }
        }
        return java.util.Arrays.copyOf(edges, size);
    }

    /**
     * The bin of {@code x} among {@code edges.length + 1} right-closed bins with open outer bins: the number of edges
     * strictly below {@code x}, so a value equal to an edge belongs to the bin that edge closes.
     */
    static int bin(double[] edges, double x) {
        int low = 0;
        int high = edges.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (edges[middle] < x) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * Population stability index over matching bins, natural log; a proportion of exactly 0 becomes {@link
     * #PSI_EPSILON} on that side only, without renormalising.
     */
    static double psi(long[] reference, long referenceTotal, long[] current, long currentTotal) {
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double p = reference[i] / (double) referenceTotal;
            double q = current[i] / (double) currentTotal;
            p = p == 0 ? PSI_EPSILON : p;
            q = q == 0 ? PSI_EPSILON : q;
            sum += (q - p) * Math.log(q / p);
        }
        return sum;
    }

    /**
     * Jensen-Shannon distance, base 2, of the bin proportions: the square root of the divergence, in [0, 1]. Follows
     * {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}.
     */
    static double jsDistance(long[] reference, long referenceTotal, long[] current, long currentTotal) {
        int k = reference.length;
        double[] p = new double[k];
        double[] q = new double[k];
        double pSum = 0;
        double qSum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = reference[i] / (double) referenceTotal;
            q[i] = current[i] / (double) currentTotal;
            pSum += p[i];
            qSum += q[i];
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < k; i++) {
            double pi = p[i] / pSum;
            double qi = q[i] / qSum;
            double m = (pi + qi) / 2.0;
            left += relativeEntropy(pi, m);
            right += relativeEntropy(qi, m);
        }
        double divergence = (left + right) / Math.log(2);
        return Math.sqrt(Math.max(0, divergence / 2.0));
    }

    private static double relativeEntropy(double x, double y) {
        return x == 0 ? 0 : x * Math.log(x / y);
    }

    /** The Kolmogorov-Smirnov statistic and Wasserstein-1 distance between two (weighted) samples. */
    record Distances(double ks, double wasserstein) {}

    /**
     * The supremum and the integral of |F_a - F_b| over two sorted samples, each optionally weighted (a KLL sketch's
     * retained items carry weights; {@code null} means weight 1 each). The integral is computed as {@code
     * scipy.stats.wasserstein_distance} does: over consecutive points of the merged sample.
     */
    static Distances distances(double[] a, long @Nullable [] aWeights, double[] b, long @Nullable [] bWeights) {
        double aTotal = total(a, aWeights);
        double bTotal = total(b, bWeights);
        int i = 0;
        int j = 0;
        double aCumulative = 0;
        double bCumulative = 0;
        double sup = 0;
        double integral = 0;
        while (i < a.length || j < b.length) {
            double x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.length && a[i] <= x) {
                aCumulative += aWeights == null ? 1 : aWeights[i];
                i++;
            }
            while (j < b.length && b[j] <= x) {
                bCumulative += bWeights == null ? 1 : bWeights[j];
                j++;
            }
            double gap = Math.abs(aCumulative / aTotal - bCumulative / bTotal);
            sup = Math.max(sup, gap);
            if (i < a.length || j < b.length) {
                double next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
                integral += gap * (next - x);
            }
        }
        return new Distances(sup, integral);
    }

    private static double total(double[] values, long @Nullable [] weights) {
        if (weights == null) {
            return values.length;
        }
        double sum = 0;
        for (long weight : weights) {
            sum += weight;
        }
        return sum;
    }

    /**
     * Survival function of the limiting Kolmogorov distribution, {@code P(K > x)} (scipy's {@code
     * special.kolmogorov}): the alternating series for large {@code x}, Jacobi's theta form for small.
     */
    static double kolmogorovSf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= 0) {
            return 1;
        }
        if (x < 1.18) {
            double w = Math.PI * Math.PI / (8 * x * x);
            double sum = 0;
            for (int k = 1; k <= 50; k += 2) {
                double term = Math.exp(-k * k * w);
                sum += term;
                if (term < 1e-17 * sum) {
                    break;
                }
            }
            return 1 - Math.sqrt(2 * Math.PI) / x * sum;
        }
        double sum = 0;
        double sign = 1;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * x * x);
            sum += sign * term;
            if (term < 1e-17) {
                break;
            }
            sign = -sign;
        }
        return Math.min(1, Math.max(0, 2 * sum));
    }
}
