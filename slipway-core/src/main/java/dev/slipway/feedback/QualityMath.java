package dev.slipway.feedback;

import dev.slipway.api.manifest.OutputKind;
import java.util.Arrays;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The metrics of {@link QualityMetrics}, computed exactly from labelled rows. */
final class QualityMath {
    /** Probabilities are clipped to [EPSILON, 1 - EPSILON] for log-loss: numpy's float64 machine epsilon. */
    static final double EPSILON = Math.ulp(1.0);

    private QualityMath() {}

    /**
     * The metrics of {@code n} labelled rows of an output of {@code kind}.
     *
     * @param scores the predicted probability, score or value; {@code NaN} when the response did not carry it
     * @param predicted the predicted label ({@code "1"}/{@code "0"} for binary kinds); {@code null} when unknown
     * @param labels the labels, as {@link Labels#normalize} stores them
     */
    static QualityMetrics metrics(
            OutputKind kind, int n, double[] scores, @Nullable String[] predicted, String[] labels) {
        if (n == 0) {
            return QualityMetrics.EMPTY;
        }
        return switch (kind) {
            case PROBABILITY, SCORE -> binary(kind == OutputKind.PROBABILITY, n, scores, predicted, labels);
            case LABEL -> classes(n, predicted, labels);
            case VALUE -> values(n, scores, labels);
        };
    }

    private static QualityMetrics binary(
            boolean probability, int n, double[] scores, @Nullable String[] predicted, String[] labels) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        long positives = 0;
        int scored = 0;
        double scoreSum = 0;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            boolean positive = "1".equals(labels[i]);
            positives += positive ? 1 : 0;
            String guess = predicted[i];
            if (guess != null) {
                boolean said = "1".equals(guess);
                if (said && positive) {
                    tp++;
                } else if (said) {
                    fp++;
                } else if (positive) {
                    fn++;
                } else {
                    tn++;
                }
            }
            double score = scores[i];
            if (Double.isFinite(score)) {
                scored++;
                scoreSum += score;
                double p = Math.min(Math.max(score, EPSILON), 1 - EPSILON);
                loss -= positive ? Math.log(p) : Math.log(1 - p);
            }
        }
        long decided = tp + fp + tn + fn;
        return new QualityMetrics(
                n,
                ratio(tp + tn, decided),
                ratio(tp, tp + fp),
                ratio(tp, tp + fn),
                probability && scored > 0 ? loss / scored : null,
                rocAuc(n, scores, labels),
                null,
                null,
                ratio(positives, n),
                scored > 0 ? scoreSum / scored : null);
    }

    /**
     * ROC AUC as the Mann-Whitney statistic: the chance that a random positive scores above a random negative, ties
     * counting one half (what the trapezoidal area under scikit-learn's ROC curve equals). {@code null} unless both
     * classes have a scored row.
     */
    static @Nullable Double rocAuc(int n, double[] scores, String[] labels) {
        int scored = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(scores[i])) {
                scored++;
            }
        }
        double[] values = new double[scored];
        boolean[] positive = new boolean[scored];
        Integer[] order = new Integer[scored];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(scores[i])) {
                values[k] = scores[i];
                positive[k] = "1".equals(labels[i]);
                order[k] = k;
                k++;
            }
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        long positives = 0;
        double rankSum = 0;
        for (int start = 0; start < scored; ) {
            int end = start;
            while (end + 1 < scored && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int j = start; j <= end; j++) {
                if (positive[order[j]]) {
                    positives++;
                    rankSum += rank;
                }
            }
            start = end + 1;
        }
        long negatives = scored - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    private static QualityMetrics classes(int n, @Nullable String[] predicted, String[] labels) {
        TreeMap<String, long[]> counts = new TreeMap<>(); // class -> {true positives, predicted, actual}
        long decided = 0;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            String guess = predicted[i];
            if (guess == null) {
                continue;
            }
            decided++;
            long[] said = counts.computeIfAbsent(guess, c -> new long[3]);
            said[1]++;
            counts.computeIfAbsent(labels[i], c -> new long[3])[2]++;
            if (guess.equals(labels[i])) {
                correct++;
                said[0]++;
            }
        }
        Double precision = null;
        Double recall = null;
        if (!counts.isEmpty()) {
            double precisionSum = 0;
            double recallSum = 0;
            for (long[] c : counts.values()) {
                precisionSum += c[1] == 0 ? 0 : (double) c[0] / c[1];
                recallSum += c[2] == 0 ? 0 : (double) c[0] / c[2];
            }
            precision = precisionSum / counts.size();
            recall = recallSum / counts.size();
        }
        return new QualityMetrics(n, ratio(correct, decided), precision, recall, null, null, null, null, null, null);
    }

    private static QualityMetrics values(int n, double[] scores, String[] labels) {
        int m = 0;
        double absolute = 0;
        double squared = 0;
        for (int i = 0; i < n; i++) {
            double error = scores[i] - Double.parseDouble(labels[i]);
            if (Double.isFinite(error)) {
                m++;
                absolute += Math.abs(error);
                squared += error * error;
            }
        }
        return new QualityMetrics(
                n,
                null,
                null,
                null,
                null,
                null,
                m == 0 ? null : absolute / m,
                m == 0 ? null : Math.sqrt(squared / m),
                null,
                null);
    }

    private static @Nullable Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
