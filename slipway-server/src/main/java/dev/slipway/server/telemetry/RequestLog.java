package dev.slipway.server.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * The request id, and the trace and span ids of the current span when the request is traced, in the logging MDC for
 * the lines logged about one request ({@code request_id}, {@code trace_id}, {@code span_id}: fields of the JSON log,
 * and shown by the text log). Set only around those lines, so requests that log nothing pay nothing.
 */
public final class RequestLog implements AutoCloseable {
    public static final String REQUEST_ID = "request_id";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private final boolean traced;

    private RequestLog(boolean traced) {
        this.traced = traced;
    }

    /** Puts the ids in the MDC until {@link #close}. */
    public static RequestLog of(String requestId) {
        MDC.put(REQUEST_ID, requestId);
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            MDC.put(TRACE_ID, span.getTraceId());
            MDC.put(SPAN_ID, span.getSpanId());
            return new RequestLog(true);
        }
        return new RequestLog(false);
    }

    @Override
    public void close() {
        MDC.remove(REQUEST_ID);
        if (traced) {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
        }
    }
}
