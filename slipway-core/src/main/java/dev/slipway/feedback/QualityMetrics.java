package dev.slipway.feedback;

import org.jspecify.annotations.Nullable;

/**
 * Quality over a set of labelled rows. A metric is {@code null} when it does not apply to the output's kind or is
 * undefined on these rows (precision without a positive prediction, ROC AUC with one class only, no rows at all).
 * Definitions follow scikit-learn: {@code accuracy_score}, {@code precision_score} / {@code recall_score} (binary with
 * positive label 1; macro averages over the classes seen for class labels, an undefined class counting 0), {@code
 * log_loss} with probabilities clipped to [ε, 1 − ε], ε = 2<sup>−52</sup>, {@code roc_auc_score}, {@code
 * mean_absolute_error} and the square root of {@code mean_squared_error}.
 *
 * @param labelled rows with a label
 * @param accuracy share of rows whose predicted label (the decision at the output's threshold) equals the label
 * @param precision of the positive (binary) or macro-averaged over classes
 * @param recall of the positive (binary) or macro-averaged over classes
 * @param logLoss mean negative log-likelihood of the labels under the predicted probabilities (probabilities only)
 * @param rocAuc area under the ROC curve of the scores (probabilities and scores)
 * @param meanAbsoluteError mean |prediction − label| (values only)
 * @param rootMeanSquaredError root of the mean squared error (values only)
 * @param positiveRate share of labels that are positive (binary)
 * @param meanScore mean predicted score; next to {@code positiveRate} a first look at calibration (binary)
 */
public record QualityMetrics(
        long labelled,
        @Nullable Double accuracy,
        @Nullable Double precision,
        @Nullable Double recall,
        @Nullable Double logLoss,
        @Nullable Double rocAuc,
        @Nullable Double meanAbsoluteError,
        @Nullable Double rootMeanSquaredError,
        @Nullable Double positiveRate,
        @Nullable Double meanScore) {
    /** No labelled rows. */
    static final QualityMetrics EMPTY = new QualityMetrics(0, null, null, null, null, null, null, null, null, null);

    /** One metric's value; {@code NaN} when it is undefined (what a gauge shows for "no value"). */
    public double value(QualityMetric metric) {
        Double value =
                switch (metric) {
                    case LABELLED -> (double) labelled;
                    case ACCURACY -> accuracy;
                    case PRECISION -> precision;
                    case RECALL -> recall;
                    case LOG_LOSS -> logLoss;
                    case ROC_AUC -> rocAuc;
                    case MEAN_ABSOLUTE_ERROR -> meanAbsoluteError;
                    case ROOT_MEAN_SQUARED_ERROR -> rootMeanSquaredError;
                    case POSITIVE_RATE -> positiveRate;
                    case MEAN_SCORE -> meanScore;
                };
        return value == null ? Double.NaN : value;
    }
}
