package dev.slipway.feedback;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Quality of the predictions made in one window (or over every retained window), however late their labels came.
 *
 * @param start the window's start (inclusive), by prediction time
 * @param end the window's end (exclusive)
 * @param predictions prediction rows stored in the window
 * @param coverage labelled rows / prediction rows; {@code null} without predictions
 * @param labelDelayMeanSeconds mean time from prediction to label over the labelled rows
 * @param labelDelayMaxSeconds longest time from prediction to label
 * @param metrics the quality of the labelled rows
 */
public record WindowQuality(
        Instant start,
        Instant end,
        long predictions,
        @Nullable Double coverage,
        @Nullable Double labelDelayMeanSeconds,
        @Nullable Double labelDelayMaxSeconds,
        QualityMetrics metrics) {}
