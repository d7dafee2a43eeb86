package dev.slipway.payload;

/**
 * The payload log's counters since start; every one only grows except {@code queued}. Every request offered is, in
 * the end, exactly one of: skipped, sampled out, dropped, written or failed (or still queued).
 *
 * @param offered requests the log was told of
 * @param skipped requests without a decoded request body (nothing to log)
 * @param sampledOut requests left out by the sample rate
 * @param dropped requests dropped because the queue was full (or the log was closing)
 * @param written lines written
 * @param failed requests that could not be encoded or written
 * @param queued requests waiting for the writer now
 * @param bytes bytes written
 * @param files files started
 * @param deleted old files deleted to keep {@code max-files}
 */
public record PayloadLogStats(
        long offered,
        long skipped,
        long sampledOut,
        long dropped,
        long written,
        long failed,
        int queued,
        long bytes,
        long files,
        long deleted) {}
