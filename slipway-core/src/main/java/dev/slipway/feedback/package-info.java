/**
 * Delayed labels: the prediction store (what each sampled request predicted, per row, in a bounded SQLite file), the
 * join of labels that arrive hours later by request id and row, and live quality metrics (accuracy, precision,
 * recall, log-loss, ROC AUC; MAE and RMSE for values) per model version, variant and tumbling window of prediction
 * time. {@link dev.slipway.feedback.FeedbackService} is the entry point.
 */
@NullMarked
package dev.slipway.feedback;

import org.jspecify.annotations.NullMarked;
