package dev.slipway.feedback;

/** The quality metrics a gauge can show; see {@link QualityMetrics} for their definitions. */
public enum QualityMetric {
    LABELLED,
    ACCURACY,
    PRECISION,
    RECALL,
    LOG_LOSS,
    ROC_AUC,
    MEAN_ABSOLUTE_ERROR,
    ROOT_MEAN_SQUARED_ERROR,
    POSITIVE_RATE,
    MEAN_SCORE
}
