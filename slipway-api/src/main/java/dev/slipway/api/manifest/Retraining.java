package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

import java.time.Period;
import org.jspecify.annotations.Nullable;

/**
 * When a model is retrained.
 *
 * @param cadence the regular interval
 * @param trigger what else triggers a retraining, for humans
 */
public record Retraining(Period cadence, @Nullable String trigger) {
    public Retraining {
        requireNonNull(cadence, "cadence");
    }
}
