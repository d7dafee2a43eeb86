package dev.slipway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.SlipwayException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code metrics}, {@code tracing}, {@code monitoring} and {@code logging} sections of slipway.yaml. */
class TelemetryConfigTest {

    @Test
    void defaultsScrapePrometheusOnTheRestPortAndWatchDriftAndSlosWithoutTracing() {
        SlipwayConfig config = ConfigLoader.parse("", "slipway.yaml");

        assertThat(config.metricsConfig().on()).isTrue();
        assertThat(config.metricsConfig().prometheusEnabled()).isTrue();
        assertThat(config.metricsConfig().scrapePath()).isEqualTo("/metrics");
        assertThat(config.metricsConfig().separatePort()).isFalse();
        assertThat(config.metricsConfig().statsdConfig().on()).isFalse();
        assertThat(config.metricsConfig().latencyBuckets()).contains(0.25, 25.0, 10000.0);
        assertThat(config.tracingConfig().on()).isFalse();
        assertThat(config.monitoringConfig().driftOn()).isTrue();
        assertThat(config.monitoringConfig().sloOn()).isTrue();
        assertThat(config.loggingConfig().format()).isNull();
    }

    @Test
    void everySectionReadsItsKeys() {
        SlipwayConfig config = ConfigLoader.parse(
                """
                metrics:
                  prometheus: true
                  path: /prometheus
                  port: 9464
                  latency-buckets-ms: [1, 5, 25]
                  statsd: {enabled: true, host: dd-agent, port: 8126, flavor: DataDog, step: PT5S}
                tracing:
                  enabled: true
                  endpoint: http://collector:4318/v1/traces
                  protocol: http/protobuf
                  sample-ratio: 0.25
                  service-name: stall-service
                monitoring: {drift: false, slo: true, queue-capacity: 16, tick-interval: PT1S}
                logging: {format: json}
                """,
                "slipway.yaml");

        MetricsConfig metrics = config.metricsConfig();
        assertThat(metrics.scrapePath()).isEqualTo("/prometheus");
        assertThat(metrics.port()).isEqualTo(9464);
        assertThat(metrics.latencyBuckets()).containsExactly(1.0, 5.0, 25.0);
        assertThat(metrics.statsdConfig().hostName()).isEqualTo("dd-agent");
        assertThat(metrics.statsdConfig().portNumber()).isEqualTo(8126);
        assertThat(metrics.statsdConfig().flavorName()).isEqualTo("datadog");
        assertThat(metrics.statsdConfig().stepDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.tracingConfig().endpointUrl()).isEqualTo("http://collector:4318/v1/traces");
        assertThat(config.tracingConfig().protocolName()).isEqualTo("http/protobuf");
        assertThat(config.tracingConfig().ratio()).isEqualTo(0.25);
        assertThat(config.tracingConfig().service()).isEqualTo("stall-service");
        assertThat(config.monitoringConfig().driftOn()).isFalse();
        assertThat(config.monitoringConfig().capacity()).isEqualTo(16);
        assertThat(config.monitoringConfig().tick()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.loggingConfig().format()).isEqualTo("json");
    }

    @Test
    void metricsDriftSlosAndTracingEachTurnOffByOneKey() {
        SlipwayConfig config = ConfigLoader.parse(
                """
                metrics: {enabled: false, statsd: {enabled: true}}
                monitoring: {drift: false, slo: false}
                tracing: {enabled: false}
                """,
                "slipway.yaml");

        assertThat(config.metricsConfig().on()).isFalse();
        assertThat(config.metricsConfig().prometheusEnabled()).isFalse();
        assertThat(config.metricsConfig().statsdEnabled()).isFalse();
        assertThat(config.monitoringConfig().driftOn()).isFalse();
        assertThat(config.monitoringConfig().sloOn()).isFalse();
        assertThat(config.tracingConfig().on()).isFalse();
        assertThat(MetricsConfig.off().on()).isFalse();
    }

    @Test
    void statsdAloneKeepsMetricsOnWithoutTheScrape() {
        MetricsConfig metrics = ConfigLoader.parse("metrics: {prometheus: false, statsd: {enabled: true}}", "s")
                .metricsConfig();

        assertThat(metrics.on()).isTrue();
        assertThat(metrics.prometheusEnabled()).isFalse();
        assertThat(metrics.statsdEnabled()).isTrue();
        assertThat(ConfigLoader.parse("metrics: {prometheus: false}", "s")
                        .metricsConfig()
                        .on())
                .isFalse();
    }

    @Test
    void theHttpProtocolDefaultsToTheHttpEndpoint() {
        assertThat(ConfigLoader.parse("tracing: {enabled: true, protocol: http/protobuf}", "s")
                        .tracingConfig()
                        .endpointUrl())
                .isEqualTo("http://127.0.0.1:4318/v1/traces");
    }

    @Test
    void everyBadValueIsNamedWithItsKeyValueAndExpectation() {
        assertThatThrownBy(() -> ConfigLoader.parse(
                        """
                        metrics:
                          path: /v2/metrics
                          port: 70000
                          latency-buckets-ms: [0, 5]
                          statsd: {port: 0, flavor: graphite, step: PT0.5S}
                        tracing: {endpoint: "collector:4317", protocol: zipkin, sample-ratio: 1.5, service-name: " "}
                        monitoring: {queue-capacity: 0, tick-interval: PT2M}
                        logging: {format: xml}
                        """,
                        "slipway.yaml"))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .containsExactlyInAnyOrder(
                                "metrics.path: '/v2/metrics' (expected: an absolute path such as /metrics, outside"
                                        + " /v1/, /v2/ and /admin/)",
                                "metrics.port: 70000 (expected: 0..65535, 0 = any free port; leave it out to use the"
                                        + " REST port)",
                                "metrics.latency-buckets-ms: 0.0 (expected: milliseconds above 0, at most 3600000)",
                                "metrics.statsd.port: 0 (expected: 1..65535)",
                                "metrics.statsd.flavor: 'graphite' (expected: one of datadog, etsy, telegraf,"
                                        + " sysdig)",
                                "metrics.statsd.step: PT0.5S (expected: PT1S..PT10M)",
                                "tracing.protocol: 'zipkin' (expected: grpc or http/protobuf)",
                                "tracing.endpoint: 'collector:4317' (expected: an http:// or https:// URL with a"
                                        + " host, such as http://127.0.0.1:4317)",
                                "tracing.sample-ratio: 1.5 (expected: 0..1)",
                                "tracing.service-name: ' ' (expected: a name such as slipway)",
                                "monitoring.queue-capacity: 0 (expected: 1..1048576)",
                                "monitoring.tick-interval: PT2M (expected: PT0.1S..PT1M)",
                                "logging.format: 'xml' (expected: text or json)"));
    }

    @Test
    void aTypoInTheNewSectionsNamesTheKnownKeys() {
        assertThatThrownBy(() -> ConfigLoader.parse("metrics: {prometeus: true}", "slipway.yaml"))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining("metrics.prometeus: unknown key")
                .hasMessageContaining("prometheus");
    }

    @Test
    void withTelemetryKeepsTheOtherSections() {
        SlipwayConfig base = ConfigLoader.parse("server: {http-port: 9000}", "s");

        SlipwayConfig changed = base.withTelemetry(null, null, MonitoringConfig.off(), new LoggingConfig("text"));

        assertThat(changed.serverConfig().port()).isEqualTo(9000);
        assertThat(changed.monitoringConfig().driftOn()).isFalse();
        assertThat(changed.metricsConfig()).isEqualTo(MetricsConfig.defaults());
        assertThat(List.of(changed.loggingConfig().format())).containsExactly("text");
    }
}
