package dev.slipway.feedback;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What became of a batch of feedback. Sending the same batch again changes nothing: its rows come back as duplicates.
 *
 * @param accepted labels joined to their prediction now
 * @param duplicates labels equal to the one the row already has (nothing changed)
 * @param unknown request ids the store has no prediction for (never served, not yet stored, dropped, or deleted by
 *     retention), in order, each once
 * @param notSampled request ids outside the store's sample ({@code feedback.sample-rate} below 1), each once
 * @param conflicts labels that differ from the one the row already has; the first label is kept
 * @param rejected items that name a row the request did not have, or whose label does not fit the row's output
 */
public record FeedbackResult(
        int accepted,
        int duplicates,
        List<String> unknown,
        List<String> notSampled,
        List<Conflict> conflicts,
        List<Rejected> rejected) {
    public FeedbackResult {
        unknown = List.copyOf(unknown);
        notSampled = List.copyOf(notSampled);
        conflicts = List.copyOf(conflicts);
        rejected = List.copyOf(rejected);
    }

    /**
     * A label that differs from the one a row already has.
     *
     * @param requestId the request
     * @param row the row
     * @param label the label sent now
     * @param existing the label kept
     */
    public record Conflict(String requestId, int row, Object label, Object existing) {}

    /**
     * An item that could not be joined.
     *
     * @param requestId the request
     * @param row the row named, if any
     * @param reason what is wrong and what was expected
     */
    public record Rejected(String requestId, @Nullable Integer row, String reason) {}
}
