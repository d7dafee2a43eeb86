/**
 * Drift and data-quality monitoring of a model version: a {@link dev.slipway.drift.ReferenceProfile} built from the
 * manifest's reference sample, mergeable per-window state ({@link dev.slipway.drift.WindowState}), the statistics
 * computed when a window closes ({@link dev.slipway.drift.DriftReport}) and the live, clock-driven {@link
 * dev.slipway.drift.DriftMonitor} that serving feeds.
 */
@NullMarked
package dev.slipway.drift;

import org.jspecify.annotations.NullMarked;
