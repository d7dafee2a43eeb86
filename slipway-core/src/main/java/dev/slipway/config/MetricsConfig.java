package dev.slipway.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Metrics: a Prometheus scrape endpoint and, optionally, DogStatsD (Datadog) or plain StatsD lines over UDP.
 *
 * <pre>
 * metrics:
 *   enabled: true               # false: no registry at all, nothing recorded (default true)
 *   prometheus: true            # serve the Prometheus text format at path (default true)
 *   path: /metrics              # the scrape path
 *   port: 9464                  # a separate listener for the scrape; absent = the REST port, 0 = any free port
 *   latency-buckets-ms: [1, 5, 25, 100]   # request latency histogram bounds; each served version's
 *                                          # slo.p99-latency-ms is always added as a bound
 *   statsd:
 *     enabled: false
 *     host: 127.0.0.1           # the Datadog agent (DogStatsD) or StatsD server
 *     port: 8125
 *     flavor: datadog           # datadog (tags), etsy, telegraf or sysdig
 *     step: PT10S               # how often gauges are sent (counters and timers go out as recorded)
 * </pre>
 *
 * @param enabled whether metrics are recorded at all; false turns off Prometheus and StatsD alike
 * @param prometheus whether to serve the Prometheus scrape endpoint
 * @param path the scrape path
 * @param port a separate scrape port; none means the REST port
 * @param latencyBucketsMs the request latency histogram's bucket bounds in milliseconds
 * @param statsd the StatsD registry
 */
public record MetricsConfig(
        @Nullable Boolean enabled,
        @Nullable Boolean prometheus,
        @Nullable String path,
        @Nullable Integer port,
        @Nullable List<Double> latencyBucketsMs,
        @Nullable Statsd statsd) {
    /**
     * Request latency bucket bounds (ms): fine below a millisecond, where single-row requests answer, then
     * OpenTelemetry's advisory HTTP buckets up to 10 s.
     */
    public static final List<Double> DEFAULT_LATENCY_BUCKETS_MS = List.of(
            0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 750.0, 1000.0, 2500.0, 5000.0,
            7500.0, 10000.0);

    public static final String DEFAULT_PATH = "/metrics";

    public MetricsConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        prometheus = prometheus == null ? Boolean.TRUE : prometheus;
        path = path == null ? DEFAULT_PATH : path;
        latencyBucketsMs = latencyBucketsMs == null ? DEFAULT_LATENCY_BUCKETS_MS : List.copyOf(latencyBucketsMs);
        statsd = statsd == null ? Statsd.off() : statsd;
    }

    /** The defaults: Prometheus at {@code /metrics} on the REST port, no StatsD. */
    public static MetricsConfig defaults() {
        return new MetricsConfig(null, null, null, null, null, null);
    }

    /** Metrics off: no registry, nothing recorded. */
    public static MetricsConfig off() {
        return new MetricsConfig(false, null, null, null, null, null);
    }

    /** Whether the Prometheus endpoint is served. */
    public boolean prometheusEnabled() {
        return on() && Boolean.TRUE.equals(prometheus);
    }

    /** Whether StatsD lines are sent. */
    public boolean statsdEnabled() {
        return on() && statsdConfig().on();
    }

    /** Whether any registry is on: without one, no metrics are recorded at all. */
    public boolean on() {
        return Boolean.TRUE.equals(enabled)
                && (Boolean.TRUE.equals(prometheus) || statsdConfig().on());
    }

    /** The scrape path (never null after construction). */
    public String scrapePath() {
        return Objects.requireNonNull(path);
    }

    /** Whether the scrape has a listener of its own. */
    public boolean separatePort() {
        return port != null;
    }

    /** The latency bucket bounds (never null after construction). */
    public List<Double> latencyBuckets() {
        return Objects.requireNonNull(latencyBucketsMs);
    }

    /** The StatsD section (never null after construction). */
    public Statsd statsdConfig() {
        return Objects.requireNonNull(statsd);
    }

    void problems(String prefix, List<String> problems) {
        if (!scrapePath().matches("/[A-Za-z0-9._~/-]*")
                || scrapePath().startsWith("/v1/")
                || scrapePath().startsWith("/v2/")
                || scrapePath().startsWith("/admin/")) {
            problems.add(prefix + ".path: '" + path
                    + "' (expected: an absolute path such as /metrics, outside /v1/, /v2/ and /admin/)");
        }
        if (port != null && (port < 0 || port > 65535)) {
            problems.add(prefix + ".port: " + port + " (expected: 0..65535, 0 = any free port; leave it out to use"
                    + " the REST port)");
        }
        List<Double> buckets = latencyBuckets();
        if (buckets.isEmpty()) {
            problems.add(prefix + ".latency-buckets-ms: [] (expected: at least one bound)");
        }
        for (Double bound : buckets) {
            if (bound == null || !(bound > 0) || bound > 3_600_000) {
                problems.add(prefix + ".latency-buckets-ms: " + bound
                        + " (expected: milliseconds above 0, at most 3600000)");
            }
        }
        statsdConfig().problems(prefix + ".statsd", problems);
    }

    /**
     * StatsD lines over UDP, with Datadog's tag extension by default (the Datadog agent's DogStatsD port).
     *
     * @param enabled whether to send
     * @param host where to send
     * @param port the UDP port
     * @param flavor {@code datadog}, {@code etsy}, {@code telegraf} or {@code sysdig}
     * @param step how often gauges are read and sent; counters and timers go out as they are recorded
     */
    public record Statsd(
            @Nullable Boolean enabled,
            @Nullable String host,
            @Nullable Integer port,
            @Nullable String flavor,
            @Nullable Duration step) {
        public static final List<String> FLAVORS = List.of("datadog", "etsy", "telegraf", "sysdig");

        public Statsd {
            enabled = enabled == null ? Boolean.FALSE : enabled;
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? 8125 : port;
            flavor = flavor == null ? "datadog" : flavor.toLowerCase(Locale.ROOT);
            step = step == null ? Duration.ofSeconds(10) : step;
        }

        /** StatsD off. */
        public static Statsd off() {
            return new Statsd(null, null, null, null, null);
        }

        /** Whether lines are sent. */
        public boolean on() {
            return Boolean.TRUE.equals(enabled);
        }

        /** The host (never null after construction). */
        public String hostName() {
            return Objects.requireNonNull(host);
        }

        /** The port (never null after construction). */
        public int portNumber() {
            return Objects.requireNonNull(port);
        }

        /** The flavour (never null after construction). */
        public String flavorName() {
            return Objects.requireNonNull(flavor);
        }

        /** The step (never null after construction). */
        public Duration stepDuration() {
            return Objects.requireNonNull(step);
        }

        void problems(String prefix, List<String> problems) {
            if (hostName().isBlank()) {
                problems.add(prefix + ".host: '" + host + "' (expected: a host name or address)");
            }
            if (portNumber() < 1 || portNumber() > 65535) {
                problems.add(prefix + ".port: " + port + " (expected: 1..65535)");
            }
            if (!FLAVORS.contains(flavorName())) {
                problems.add(
                        prefix + ".flavor: '" + flavor + "' (expected: one of " + String.join(", ", FLAVORS) + ")");
            }
            if (stepDuration().compareTo(Duration.ofSeconds(1)) < 0
                    || stepDuration().compareTo(Duration.ofMinutes(10)) > 0) {
                problems.add(prefix + ".step: " + step + " (expected: PT1S..PT10M)");
            }
        }
    }
}
