/**
 * Service level objectives of a model version: availability and latency objectives from the manifest's {@code slo},
 * multi-window multi-burn-rate alerting evaluated in process ({@link dev.slipway.slo.SloMonitor}, read through {@link
 * dev.slipway.slo.SloSignal}), and the equivalent Prometheus rules and Grafana dashboard.
 */
@NullMarked
package dev.slipway.slo;

import org.jspecify.annotations.NullMarked;
