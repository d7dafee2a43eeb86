package dev.slipway.feedback;

/**
 * The feedback service's counters since start (all only grow, except {@code queued} and {@code rows}). Every served
 * request offered is, in the end, exactly one of: skipped, sampled out, dropped, stored (its rows), repeated, full or
 * failed.
 *
 * @param offered served requests the service was told of
 * @param skipped requests with nothing to store: refused, no response, an unknown manifest or an over-long id
 * @param sampledOut requests left out by {@code feedback.sample-rate}
 * @param dropped requests dropped because the queue was full (or the service was closing)
 * @param stored requests whose rows were stored
 * @param repeated requests whose id was already stored (the first prediction is kept)
 * @param full requests not stored because the store held {@code max-rows} rows of the current window
 * @param failed requests whose rows could not be written
 * @param queued requests waiting for the writer now
 * @param rows prediction rows in the store now
 * @param deletedRows rows deleted by retention or the row limit
 * @param accepted labels joined
 * @param duplicates labels sent again
 * @param conflicts labels that differed from the row's label (their batch was refused)
 * @param unknown labels for request ids the store does not have
 * @param notSampled labels for request ids outside the sample
 * @param rejected labels naming a row the request did not have, or not fitting the stored row's output (their batch
 *     was refused)
 */
public record FeedbackStats(
        long offered,
        long skipped,
        long sampledOut,
        long dropped,
        long stored,
        long repeated,
        long full,
        long failed,
        int queued,
        long rows,
        long deletedRows,
        long accepted,
        long duplicates,
        long conflicts,
        long unknown,
        long notSampled,
        long rejected) {}
