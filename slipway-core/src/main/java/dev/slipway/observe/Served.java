package dev.slipway.observe;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceRequest;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.rollout.Router;
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
    /**
     * An event from what an adapter knows at the end of a request.
     *
     * @param routed how it was routed and who answered; none when it failed
     * @param failure what the caller got instead of an answer; none on success
     */
    public static Served of(
            Instant at,
            String requestId,
            String protocol,
            String endpoint,
            long latencyNanos,
            @Nullable Object request,
            int rows,
            Router.@Nullable Routed<?> routed,
            @Nullable Throwable failure) {
        return new Served(
                requestId,
                protocol,
                endpoint,
                routed == null ? null : routed.model(),
                routed == null ? null : Long.toString(routed.version()),
                routed == null ? "" : routed.variant(),
                routed == null ? 0 : routed.epoch(),
                failure == null ? null : code(failure),
                latencyNanos,
                rows,
                at,
                request,
                failure == null && routed != null ? routed.response() : null);
    }

    /** Rows in a tensor request: the first input's first dimension (1 for a scalar). */
    public static int rows(InferenceRequest request) {
        if (request.inputs().isEmpty()) {
            return 0;
        }
        Tensor first = request.inputs().get(0);
        return first.rank() == 0 ? 1 : (int) Math.min(Integer.MAX_VALUE, first.dim(0));
    }

    private static ErrorCode code(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof SlipwayException e ? e.code() : ErrorCode.INTERNAL;
    }

    /** Whether the caller got an answer. */
    public boolean ok() {
        return error == null;
    }
}
