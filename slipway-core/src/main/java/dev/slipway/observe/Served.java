package dev.slipway.observe;

import dev.slipway.api.ErrorCode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One answered request (or one refused): who answered, how, how long it took, and the request and response
 * themselves for listeners that need the data.
 *
 * @param requestId the request id the caller sent or the server gave
 * @param protocol {@code rest-v2}, {@code rest-v1} or {@code grpc}
 * @param endpoint the model name called
 * @param model the model that answered (another one when a fallback answered); none when nothing answered
 * @param version the version that answered; none when nothing answered
 * @param variant the routing variant ({@code primary}, {@code canary}, {@code fallback}, {@code pinned}, ...); empty
 *     when the request failed before routing
 * @param epoch the routing epoch
 * @param error the error returned to the caller; none on success
 * @param latencyNanos from the request's arrival to its answer
 * @param rows rows in the request
 * @param at when it was answered
 * @param request the decoded request ({@code InferenceRequest} or {@code RecordsRequest}); none when it failed to
 *     decode
 * @param response the response ({@code InferenceResponse} or {@code RecordsResponse}); none on failure
 */
public record Served(
        String requestId,
        String protocol,
        String endpoint,
        @Nullable String model,
        @Nullable String version,
        String variant,
        long epoch,
        @Nullable ErrorCode error,
        long latencyNanos,
        int rows,
        Instant at,
        @Nullable Object request,
        @Nullable Object response) {
    /** Whether the caller got an answer. */
    public boolean ok() {
        return error == null;
    }
}
