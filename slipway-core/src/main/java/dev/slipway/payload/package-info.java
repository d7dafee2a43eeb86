/**
 * The payload log: a deterministic sample of served requests written as rotating JSONL files, one line per request
 * (named features and predictions of every row, who answered, latency, request id, time), with configured fields
 * dropped or hashed before anything is written. {@link dev.slipway.payload.PayloadLog} takes events from the serving
 * listeners through a bounded queue to one writer thread and drops (and counts) what does not fit.
 */
@NullMarked
package dev.slipway.payload;

import org.jspecify.annotations.NullMarked;
