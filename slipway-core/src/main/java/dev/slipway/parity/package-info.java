/**
 * The parity gate: running a model version's golden examples through its contract and engine and comparing the
 * outputs with what the research code produced. Also reads the CSV files of golden examples and reference samples.
 */
@NullMarked
package dev.slipway.parity;

import org.jspecify.annotations.NullMarked;
