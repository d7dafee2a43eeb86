package dev.slipway.feedback;

import java.util.List;

/**
 * What became of a batch of feedback that was applied. Sending the same batch again changes nothing: its rows come
 * back as duplicates. (A batch with a conflicting label, or an item naming a row the request did not have, is not
 * applied at all: {@link FeedbackService#submit} fails instead.)
 *
 * @param accepted labels joined to their prediction now
 * @param duplicates labels equal to the one the row already has (nothing changed)
 * @param unknown request ids the store has no prediction for (never served, not yet stored, dropped, or deleted by
 *     retention), in order, each once
 * @param notSampled request ids outside the store's sample ({@code feedback.sample-rate} below 1), each once
 */
public record FeedbackResult(int accepted, int duplicates, List<String> unknown, List<String> notSampled) {
    public FeedbackResult {
        unknown = List.copyOf(unknown);
        notSampled = List.copyOf(notSampled);
    }
}
