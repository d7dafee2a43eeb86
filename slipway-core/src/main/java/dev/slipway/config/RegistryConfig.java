package dev.slipway.config;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Serving from a model registry instead of a folder.
 *
 * @param location a SQLite file or a JDBC URL ({@code jdbc:postgresql://...}); {@code null} serves the folder in
 *     {@code models.repository} instead
 * @param artifacts the artifact store directory; defaults to {@code artifacts/} beside a SQLite file
 * @param pollInterval how often replicas look for alias changes (ISO-8601, default {@code PT2S})
 */
public record RegistryConfig(@Nullable String location, @Nullable String artifacts, @Nullable Duration pollInterval) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    public RegistryConfig {
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
    }

    /** No registry: serve a folder. */
    public static RegistryConfig none() {
        return new RegistryConfig(null, null, null);
    }

    /** Whether a registry is configured. */
    public boolean enabled() {
        return location != null && !location.isBlank();
    }

    /** The poll interval (never null after construction). */
    public Duration interval() {
        return java.util.Objects.requireNonNull(pollInterval);
    }

    void problems(String path, List<String> problems) {
        if (interval().isNegative() || interval().isZero() || interval().compareTo(Duration.ofHours(1)) > 0) {
            problems.add(path + ".poll-interval: " + pollInterval + " (expected: PT0.1S..PT1H)");
        }
    }
}
