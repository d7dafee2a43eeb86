/**
 * The server's telemetry: the Micrometer registries (Prometheus scrape, DogStatsD), the OpenTelemetry tracer and its
 * OTLP exporter, the model monitors and their tick, and the request id and trace id in log lines.
 */
@NullMarked
package dev.slipway.server.telemetry;

import org.jspecify.annotations.NullMarked;
