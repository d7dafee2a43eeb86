/**
 * What happened to each request, for whoever watches: every protocol adapter reports a {@link
 * dev.slipway.observe.Served} event when it answers, and listeners (metrics, payload log, drift, SLOs) take it from
 * there without slowing the answer.
 */
@NullMarked
package dev.slipway.observe;

import org.jspecify.annotations.NullMarked;
