/**
 * The public data model of Slipway: tensors and their datatypes, inference requests and responses in tensor and
 * record form, and the one error model ({@link dev.slipway.api.ErrorCode}, {@link dev.slipway.api.SlipwayException}).
 */
@NullMarked
package dev.slipway.api;

import org.jspecify.annotations.NullMarked;
