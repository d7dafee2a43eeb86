package dev.slipway.feedback;

import dev.slipway.api.manifest.OutputKind;
import org.jspecify.annotations.Nullable;

/**
 * One row of one served request as the store keeps it.
 *
 * @param endpoint the model name the client called (what feedback names)
 * @param requestId the request's id
 * @param row the row's index in the request
 * @param rows the request's row count
 * @param model the model that answered
 * @param version its version
 * @param variant the routing variant
 * @param output the output judged
 * @param kind its kind
 * @param servedAt when it was answered, epoch milliseconds
 * @param score the probability, score or value; {@code NaN} when absent
 * @param predicted the predicted label, if known
 * @param label the label, once one arrived
 * @param labelledAt when the label arrived, epoch milliseconds; 0 without a label
 */
record Prediction(
        String endpoint,
        String requestId,
        int row,
        int rows,
        String model,
        String version,
        String variant,
        String output,
        OutputKind kind,
        long servedAt,
        double score,
        @Nullable String predicted,
        @Nullable String label,
        long labelledAt) {
    /** The series this row counts in. */
    QualityKey key() {
        return new QualityKey(endpoint, model, version, variant);
    }

    /** The same row with a label. */
    Prediction labelled(String newLabel, long at) {
        return new Prediction(
                endpoint, requestId, row, rows, model, version, variant, output, kind, servedAt, score, predicted,
                newLabel, at);
    }
}
