/**
 * The gRPC adapter: the Open Inference Protocol's {@code inference.GRPCInferenceService} (core rpcs plus the model
 * repository and statistics extensions) and {@code grpc.health.v1}, on the same dispatch path as REST.
 */
@NullMarked
package dev.slipway.server.grpc;

import org.jspecify.annotations.NullMarked;
