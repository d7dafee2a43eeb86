package dev.slipway.feedback;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One true outcome: the label of one row of one earlier request.
 *
 * @param requestId the id of the request that was answered
 * @param row the row's index in that request; {@code null} for a request of one row
 * @param label {@code Boolean}, {@code Long}, {@code Double} or {@code String}, as sent; what fits depends on the
 *     judged output's kind (booleans or 0/1 for probabilities and scores, class labels for labels, numbers for values)
 */
public record Feedback(String requestId, @Nullable Integer row, Object label) {
    public Feedback {
        requireNonNull(requestId, "requestId");
        requireNonNull(label, "label");
    }
}
