/**
 * Serving metrics on a Micrometer {@link io.micrometer.core.instrument.MeterRegistry} (Prometheus, DogStatsD):
 * {@link dev.slipway.metrics.ServingMetrics} counts and times every served request on the request thread, with the
 * meters of each label combination cached; {@link dev.slipway.metrics.ModelGauges} exports what is read rather than
 * counted (in flight, queue depth, circuit breakers, queue and engine time, drift and SLO burn rates), refreshed on a
 * tick. Names follow Prometheus conventions once the registry renders them ({@code slipway_requests_total}, {@code
 * _seconds}); every label value comes from a bounded set (served models and versions, variants, protocols, codes).
 */
@NullMarked
package dev.slipway.metrics;

import org.jspecify.annotations.NullMarked;
