package dev.slipway.server.telemetry;

import dev.slipway.trace.Spans;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.jspecify.annotations.Nullable;

/**
 * Starts the server span of a request, continuing the caller's trace from its W3C {@code traceparent} (and {@code
 * tracestate}) header when it sends one.
 */
public final class ServerTracing {
    private static final TextMapPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

    private final Tracer tracer;

    ServerTracing(OpenTelemetry openTelemetry, String version) {
        this.tracer = openTelemetry.getTracer("dev.slipway.server", version);
    }

    /**
     * Starts a server span named {@code name} (a route template, such as {@code POST /v2/models/{model}/infer}) as a
     * child of the caller's span when the headers carry one.
     *
     * @param http whether the request came over HTTP/1.1 REST (else gRPC)
     */
    public <C> Traced start(
            String name,
            @Nullable C headers,
            TextMapGetter<C> getter,
            boolean http,
            String requestId,
            String endpoint) {
        Context parent = PROPAGATOR.extract(Context.root(), headers, getter);
        Span span = tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("slipway.request_id", requestId)
                .setAttribute("slipway.endpoint", endpoint)
                .startSpan();
        if (http) {
            span.setAttribute("http.request.method", "POST");
        } else {
            span.setAttribute("rpc.system", "grpc");
            span.setAttribute("rpc.service", "inference.GRPCInferenceService");
            span.setAttribute("rpc.method", "ModelInfer");
        }
        return new Traced(span, Spans.with(parent.with(span), tracer), http);
    }
}
