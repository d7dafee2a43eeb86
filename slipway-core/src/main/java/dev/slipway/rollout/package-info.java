/**
 * Progressive delivery: deterministic routing tables with an epoch ({@link dev.slipway.rollout.RoutingTable}), the
 * request path that follows them with circuit breakers, fallback chains and shadow copies ({@link
 * dev.slipway.rollout.Router}), per-variant observation windows, the statistical judge, and the controller that moves
 * a rollout through its shadow and canary steps and promotes or rolls back on evidence.
 */
@NullMarked
package dev.slipway.rollout;

import org.jspecify.annotations.NullMarked;
