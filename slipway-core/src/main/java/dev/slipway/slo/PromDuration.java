package dev.slipway.slo;

import java.time.Duration;

/** Durations in Prometheus' notation: {@code 5m}, {@code 1h}, {@code 3d}. */
final class PromDuration {
    private PromDuration() {}

    static String of(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
