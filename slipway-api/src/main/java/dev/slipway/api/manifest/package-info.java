/**
 * The model manifest ({@code model.yaml}) as records: the data contract of a model's features and outputs, its
 * artifact, golden examples, reference sample, SLO, owners and retraining cadence.
 */
@NullMarked
package dev.slipway.api.manifest;

import org.jspecify.annotations.NullMarked;
