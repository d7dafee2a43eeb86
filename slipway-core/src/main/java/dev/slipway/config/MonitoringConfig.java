package dev.slipway.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * In-process model monitoring of every served version: drift and data quality against the manifest's reference
 * sample, and SLO burn rates against its {@code slo}.
 *
 * <pre>
 * monitoring:
 *   drift: true            # watch each version that has a reference sample (default true)
 *   slo: true              # evaluate each version's objectives (default true)
 *   queue-capacity: 8192   # served requests waiting for the drift worker; beyond it they are dropped and counted
 *   drift-sample-per-second: 1000   # busier traffic feeds drift a uniform random sample of this many; 0 = all
 *   tick-interval: PT5S    # how often windows are closed without traffic and gauges refreshed
 * </pre>
 *
 * @param drift whether drift is watched
 * @param slo whether objectives are evaluated
 * @param queueCapacity the bounded hand-off between the request threads and the drift worker
 * @param driftSamplePerSecond requests per second fed to drift monitors at most (a uniform sample); 0 feeds all
 * @param tickInterval how often the monitors are ticked
 */
public record MonitoringConfig(
        @Nullable Boolean drift,
        @Nullable Boolean slo,
        @Nullable Integer queueCapacity,
        @Nullable Duration tickInterval,
        @Nullable Long driftSamplePerSecond) {
    public static final int DEFAULT_QUEUE_CAPACITY = 8192;
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(5);
    public static final long DEFAULT_DRIFT_SAMPLE = 1000;

    public MonitoringConfig {
        drift = drift == null ? Boolean.TRUE : drift;
        slo = slo == null ? Boolean.TRUE : slo;
        queueCapacity = queueCapacity == null ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
        tickInterval = tickInterval == null ? DEFAULT_TICK : tickInterval;
        driftSamplePerSecond = driftSamplePerSecond == null ? DEFAULT_DRIFT_SAMPLE : driftSamplePerSecond;
    }

    /** Drift, SLOs, queue and tick as given; the default drift sample. */
    public MonitoringConfig(
            @Nullable Boolean drift,
            @Nullable Boolean slo,
            @Nullable Integer queueCapacity,
            @Nullable Duration tickInterval) {
        this(drift, slo, queueCapacity, tickInterval, null);
    }

    /** Drift and SLOs on, with the default queue and tick. */
    public static MonitoringConfig defaults() {
        return new MonitoringConfig(null, null, null, null);
    }

    /** Drift and SLOs off. */
    public static MonitoringConfig off() {
        return new MonitoringConfig(false, false, null, null);
    }

    /** Whether drift is watched. */
    public boolean driftOn() {
        return Boolean.TRUE.equals(drift);
    }

    /** Whether objectives are evaluated. */
    public boolean sloOn() {
        return Boolean.TRUE.equals(slo);
    }

    /** The queue capacity (never null after construction). */
    public int capacity() {
        return Objects.requireNonNull(queueCapacity);
    }

    /** Requests per second fed to drift monitors at most; 0 feeds every request (never null after construction). */
    public long driftSample() {
        return Objects.requireNonNull(driftSamplePerSecond);
    }

    /** The tick interval (never null after construction). */
    public Duration tick() {
        return Objects.requireNonNull(tickInterval);
    }

    void problems(String prefix, List<String> problems) {
        if (capacity() < 1 || capacity() > 1_048_576) {
            problems.add(prefix + ".queue-capacity: " + queueCapacity + " (expected: 1..1048576)");
        }
        if (tick().compareTo(Duration.ofMillis(100)) < 0 || tick().compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add(prefix + ".tick-interval: " + tickInterval + " (expected: PT0.1S..PT1M)");
        }
        if (driftSample() < 0) {
            problems.add(prefix + ".drift-sample-per-second: " + driftSamplePerSecond
                    + " (expected: >= 0; 0 feeds every request)");
        }
    }
}
