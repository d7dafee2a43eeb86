package dev.slipway.feedback;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The live quality of an endpoint's predictions: one entry per model version and variant that answered it.
 *
 * @param endpoint the model name clients call
 * @param window the length of a window
 * @param at when the report was made
 * @param versions per answering model version and variant, by model, version and variant
 */
public record QualityReport(String endpoint, Duration window, Instant at, List<VersionQuality> versions) {
    public QualityReport {
        versions = List.copyOf(versions);
    }
}
