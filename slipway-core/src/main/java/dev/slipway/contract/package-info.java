/**
 * Data contracts: checking requests against a model's declared features (types, ranges, categories, nullability) and
 * turning engine outputs into the outputs its manifest promises. {@link dev.slipway.contract.DataContract} is the entry
 * point.
 */
@NullMarked
package dev.slipway.contract;

import org.jspecify.annotations.NullMarked;
