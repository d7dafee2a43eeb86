/**
 * Spans inside the serving path (routing, contract, queue, engine) as children of the protocol adapter's server span.
 * The adapter puts its {@link io.opentelemetry.api.trace.Tracer} into the OpenTelemetry {@link
 * io.opentelemetry.context.Context} with {@link dev.slipway.trace.Spans#with}; without one (tracing off) every call
 * here is a thread-local read and a null check.
 */
@NullMarked
package dev.slipway.trace;

import org.jspecify.annotations.NullMarked;
