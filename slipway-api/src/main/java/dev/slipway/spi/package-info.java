/**
 * The engine service-provider interface: how a model runtime (ONNX Runtime, XGBoost, rules) plugs into Slipway. An
 * {@link dev.slipway.spi.Engine} loads an artifact into a {@link dev.slipway.spi.ModelInstance} that describes its
 * {@link dev.slipway.spi.Signature} and runs batches.
 */
@NullMarked
package dev.slipway.spi;

import org.jspecify.annotations.NullMarked;
