package dev.slipway.server.telemetry;

import static dev.slipway.server.telemetry.TelemetryModels.inferBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.config.MetricsConfig;
import dev.slipway.config.ModelsConfig;
import dev.slipway.config.MonitoringConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.server.SlipwayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the scrape is served ({@code metrics.port}, {@code metrics.path}) and what turns metrics and monitoring off. */
class MetricsSwitchesIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path root;

    @BeforeAll
    static void models() {
        TelemetryModels.watched(root, "scorer");
    }

    static SlipwayServer start(MetricsConfig metrics, MonitoringConfig monitoring) {
        SlipwayConfig config = new SlipwayConfig(
                        ServerConfig.defaults().withAddress("127.0.0.1", 0, -1),
                        new ModelsConfig(root.toString()),
                        null)
                .withTelemetry(metrics, null, monitoring, null);
        return SlipwayServer.start(config, Engines.discover(), Clock.systemUTC());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)));
    }

    static int infer(SlipwayServer server) throws Exception {
        return send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/scorer/infer"))
                        .POST(HttpRequest.BodyPublishers.ofString(inferBody(new float[] {1, 2, 3}))))
                .statusCode();
    }

    @Test
    void aSeparatePortServesTheScrapeAtItsPathAndTheRestPortDoesNot() throws Exception {
        try (SlipwayServer server =
                start(new MetricsConfig(null, null, "/prometheus", 0, null, null), MonitoringConfig.defaults())) {
            assertThat(infer(server)).isEqualTo(200);
            int port = server.metricsPort();

            HttpResponse<String> scrape = get(port, "/prometheus");

            assertThat(port).isPositive().isNotEqualTo(server.httpPort());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(Scrape.parse(scrape.body())
                            .value(
                                    "slipway_requests_total",
                                    "model",
                                    "scorer",
                                    "protocol",
                                    "rest-v2",
                                    "outcome",
                                    "success"))
                    .isEqualTo(1.0);
            assertThat(get(port, "/metrics").statusCode()).isEqualTo(404);
            assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus"))
                                    .POST(HttpRequest.BodyPublishers.noBody()))
                            .statusCode())
                    .isEqualTo(405);
            assertThat(get(server.httpPort(), "/prometheus").statusCode()).isEqualTo(404);
            assertThat(get(server.httpPort(), "/metrics").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void metricsEnabledFalseRecordsNothingAndServesNoScrape() throws Exception {
        try (SlipwayServer server = start(MetricsConfig.off(), MonitoringConfig.defaults())) {
            assertThat(infer(server)).isEqualTo(200);

            assertThat(get(server.httpPort(), "/metrics").statusCode()).isEqualTo(404);
            assertThat(server.metricsPort()).isEqualTo(-1);
            assertThat(server.telemetry().registry()).isEmpty();
            assertThat(server.telemetry().prometheusOn()).isFalse();
            assertThat(server.monitoring()).isPresent();
        }
    }

    @Test
    void monitoringOffWatchesNeitherDriftNorSlos() throws Exception {
        try (SlipwayServer server = start(MetricsConfig.defaults(), MonitoringConfig.off())) {
            assertThat(infer(server)).isEqualTo(200);
            server.telemetry().tickNow();

            Scrape scrape = Scrape.parse(get(server.httpPort(), "/metrics").body());

            assertThat(server.monitoring()).isEmpty();
            assertThat(scrape.all("slipway_requests_total", "model", "scorer")).hasSize(1);
            assertThat(scrape.all("slipway_slo_burn_rate")).isEmpty();
            assertThat(scrape.all("slipway_drift_psi")).isEmpty();
            assertThat(scrape.all("slipway_monitoring_rows_total")).isEmpty();
        }
    }

    @Test
    void driftOffKeepsTheSloGauges() throws Exception {
        try (SlipwayServer server = start(MetricsConfig.defaults(), new MonitoringConfig(false, true, null, null))) {
            assertThat(infer(server)).isEqualTo(200);
            server.telemetry().tickNow();

            Scrape scrape = Scrape.parse(get(server.httpPort(), "/metrics").body());

            assertThat(scrape.all("slipway_slo_burn_rate", "model", "scorer", "slo", "availability"))
                    .isNotEmpty();
            assertThat(scrape.all("slipway_drift_psi")).isEmpty();
            assertThat(scrape.value("slipway_monitoring_rows_total")).isZero();
        }
    }
}
