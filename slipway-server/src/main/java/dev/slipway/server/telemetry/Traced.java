package dev.slipway.server.telemetry;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.rollout.Router;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * One traced request: its server span and the context (span and tracer) the serving path makes its child spans in.
 * Ended once, when the request is answered.
 */
public final class Traced {
    private final Span span;
    private final Context context;
    private final boolean http;

    Traced(Span span, Context context, boolean http) {
        this.span = span;
        this.context = context;
        this.http = http;
    }

    /** The server span. */
    public Span span() {
        return span;
    }

    /** Makes the request's context current; a no-op scope for an untraced request. */
    @SuppressWarnings("MustBeClosedChecker") // callers close it in try-with-resources
    public static Scope enter(@Nullable Traced traced) {
        return traced == null ? Scope.noop() : traced.context.makeCurrent();
    }

    /**
     * Ends the server span with what answered, or with the failure: its code as {@code error.type}, and the span's
     * status set to error only for server-side failures (a caller's mistake is not the server's error).
     */
    public static void end(@Nullable Traced traced, Router.@Nullable Routed<?> routed, @Nullable Throwable failure) {
        if (traced == null) {
            return;
        }
        Span span = traced.span;
        if (routed != null) {
            span.setAttribute("slipway.model", routed.model());
            span.setAttribute("slipway.version", routed.version());
            span.setAttribute("slipway.variant", routed.variant());
        }
        if (failure != null) {
            ErrorCode code = code(failure);
            span.setAttribute("error.type", code.name());
            if (traced.http) {
                span.setAttribute("http.response.status_code", code.httpStatus());
            } else {
                span.setAttribute("rpc.grpc.status_code", code.grpcCode());
            }
            if (!code.clientError() || code == ErrorCode.OVERLOADED) {
                span.setStatus(StatusCode.ERROR, String.valueOf(unwrap(failure).getMessage()));
            }
        } else if (traced.http) {
            span.setAttribute("http.response.status_code", 200);
        } else {
            span.setAttribute("rpc.grpc.status_code", 0);
        }
        span.end();
    }

    private static ErrorCode code(Throwable failure) {
        return unwrap(failure) instanceof SlipwayException e ? e.code() : ErrorCode.INTERNAL;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
