/**
 * Drift and SLO monitoring wired into serving: {@link dev.slipway.monitoring.ModelMonitoring} listens to every served
 * request, keeps a {@link dev.slipway.drift.DriftMonitor} and a {@link dev.slipway.slo.SloMonitor} per served model
 * version, and feeds the drift monitors from a bounded queue on a worker thread of its own.
 */
@NullMarked
package dev.slipway.monitoring;

import org.jspecify.annotations.NullMarked;
