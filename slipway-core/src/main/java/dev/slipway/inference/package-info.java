/**
 * Inference dispatch: the model versions a process serves ({@link dev.slipway.inference.ModelRepository}, loaded by
 * {@link dev.slipway.inference.ModelLoader}) and the one path every protocol adapter calls ({@link
 * dev.slipway.inference.InferenceService}).
 */
@NullMarked
package dev.slipway.inference;

import org.jspecify.annotations.NullMarked;
