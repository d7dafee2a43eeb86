package dev.slipway.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import org.jspecify.annotations.Nullable;

/**
 * Child spans of the current request, made only while a request is traced: the protocol adapter stores its tracer in
 * the context it makes current ({@link #with}), and the serving path asks {@link #start} for a child of whatever span
 * is current. Without a tracer in the current context every method returns at once, so the untraced path pays a
 * thread-local read.
 */
public final class Spans {
    /** The span of routing a request to a variant, its circuit breaker and fallbacks. */
    public static final String ROUTE = "slipway.route";

    /** The span of checking and binding a request to the version's data contract. */
    public static final String CONTRACT = "slipway.contract";

    /** The span a request waits in its version's dynamic batcher. */
    public static final String QUEUE = "slipway.queue";

    /** The span of the engine call that computed the request (with its batch-mates, when batched). */
    public static final String ENGINE = "slipway.engine";

    private static final ContextKey<Tracer> TRACER = ContextKey.named("slipway-tracer");

    private Spans() {}

    /** The context with the tracer that child spans are made with. */
    public static Context with(Context context, Tracer tracer) {
        return context.with(TRACER, tracer);
    }

    /** The current context when a request is traced; none otherwise. */
    public static @Nullable Context current() {
        Context context = Context.current();
        return context.get(TRACER) == null ? null : context;
    }

    /** A child of the current span, started now; none when the request is not traced. */
    public static @Nullable Span start(String name) {
        Context context = Context.current();
        Tracer tracer = context.get(TRACER);
        return tracer == null
                ? null
                : tracer.spanBuilder(name).setParent(context).startSpan();
    }

    /** A child of a captured context's span, started now; none when {@code context} is none. */
    public static @Nullable Span start(String name, @Nullable Context context) {
        if (context == null) {
            return null;
        }
        Tracer tracer = context.get(TRACER);
        return tracer == null
                ? null
                : tracer.spanBuilder(name).setParent(context).startSpan();
    }

    /** Makes a span current (with the tracer of the context it was made in); a no-op scope for none. */
    @SuppressWarnings("MustBeClosedChecker") // callers close it in try-with-resources
    public static Scope enter(@Nullable Span span) {
        if (span == null) {
            return Scope.noop();
        }
        return Context.current().with(span).makeCurrent();
    }

    /** Ends a span, marked as failed when {@code failure} is not none. */
    public static void end(@Nullable Span span, @Nullable Throwable failure) {
        if (span == null) {
            return;
        }
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        span.end();
    }
}
