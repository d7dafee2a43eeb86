package dev.slipway.server.telemetry;

import static dev.slipway.server.telemetry.TelemetryModels.inferBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.config.MetricsConfig;
import dev.slipway.config.ModelsConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.ServingConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.rollout.EndpointPolicy;
import dev.slipway.server.SlipwayServer;
import dev.slipway.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.slipway.server.grpc.proto.InferTensorContents;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import dev.slipway.testing.FakeModels;
import dev.slipway.testing.ManualClock;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus scrape of a real server on port 0, after a scripted set of requests over REST V2, KServe V1 and gRPC:
 * every serving metric by model, version, variant, protocol and outcome, the gauges read at scrape time, drift scores
 * after a window closes on a manual clock, SLO burn rates after a failing minute; and {@code promtool check metrics}
 * on the live scrape.
 *
 * <ul>
 *   <li>{@code scorer}: watched for drift; 3 V2 requests of 1, 2 and 3 rows, 1 V1 and 1 gRPC request of 1 row, all
 *       with f0 in 90..99 (the reference's top decile), and one malformed request;
 *   <li>{@code flaky}: fails above f0 = 50; its endpoint falls back to {@code spare};
 *   <li>{@code failing}: fails above f0 = 50, without a fallback: one request, one engine failure;
 *   <li>{@code slow}: batches of up to 8 that wait 2 s for company.
 * </ul>
 */
class PrometheusScrapeIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ManualClock CLOCK = new ManualClock(Instant.parse("2030-01-01T00:00:10Z"));

    @TempDir
    static Path root;

    static SlipwayServer server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        TelemetryModels.watched(root, "scorer");
        FakeModels.failAbove(TelemetryModels.plain(root, "flaky"), 50);
        TelemetryModels.plain(root, "spare");
        FakeModels.failAbove(TelemetryModels.plain(root, "failing"), 50);
        TelemetryModels.plain(root, "slow");
        ServingConfig serving = new ServingConfig(
                null,
                Map.of(
                        "scorer", new ServingConfig.Entry(8, 0L, null, null),
                        "slow", new ServingConfig.Entry(8, 2_000_000L, null, null)));
        MetricsConfig metrics = new MetricsConfig(null, null, null, null, List.of(1.0, 5.0, 100.0), null);
        SlipwayConfig config = new SlipwayConfig(
                        ServerConfig.defaults().withAddress("127.0.0.1", 0, 0),
                        new ModelsConfig(root.toString()),
                        null,
                        serving,
                        null,
                        null,
                        Map.of(
                                "flaky",
                                EndpointPolicy.of(null, null, List.of("primary", "spare"), null, null, null, null)),
                        null)
                .withTelemetry(metrics, null, null, null);
        server = SlipwayServer.start(config, Engines.discover(), CLOCK);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();

        CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(
                post("/v2/models/slow/infer", inferBody(new float[] {1, 2, 3})), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Scrape waiting = scrape();
            assertThat(waiting.value("slipway_batch_queue_depth", "model", "slow", "version", "1"))
                    .isEqualTo(1.0);
            assertThat(waiting.value("slipway_requests_in_flight", "model", "slow", "version", "1"))
                    .isEqualTo(1.0);
        });
        assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        assertThat(send("/v2/models/scorer/infer", inferBody(new float[] {91, 1, -1})))
                .isEqualTo(200);
        assertThat(send("/v2/models/scorer/infer", inferBody(new float[] {92, 1, -1}, new float[] {93, -1, 1})))
                .isEqualTo(200);
        assertThat(send(
                        "/v2/models/scorer/infer",
                        inferBody(new float[] {94, 1, -1}, new float[] {95, -1, 1}, new float[] {96, 1, -1})))
                .isEqualTo(200);
        assertThat(send("/v1/models/scorer:predict", "{\"instances\": [{\"f0\": 97, \"f1\": 1, \"f2\": -1}]}"))
                .isEqualTo(200);
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .modelInfer(ModelInferRequest.newBuilder()
                        .setModelName("scorer")
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                .setName("input")
                                .setDatatype("FP32")
                                .addShape(1)
                                .addShape(3)
                                .setContents(InferTensorContents.newBuilder()
                                        .addFp32Contents(98)
                                        .addFp32Contents(-1)
                                        .addFp32Contents(1)))
                        .build());
        assertThat(send("/v2/models/scorer/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2]}]}"))
                .isEqualTo(400);
        assertThat(send("/v2/models/flaky/infer", inferBody(new float[] {60, 0, 0})))
                .isEqualTo(200);
        assertThat(send("/v2/models/failing/infer", inferBody(new float[] {60, 0, 0})))
                .isEqualTo(500);

        // every scorer row reached the drift worker before its window closes
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(scrape().value("slipway_monitoring_rows_total"))
                        .isEqualTo(8.0));
        CLOCK.advance(Duration.ofMinutes(1));
        server.telemetry().tickNow();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    static HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static int send(String path, String body) throws Exception {
        return HTTP.send(post(path, body), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Scrape scrape() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Scrape.parse(response.body());
    }

    @Test
    void theScrapeIsPrometheusTextOnTheRestPort() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains("# TYPE slipway_requests_total counter")
                .contains("# TYPE slipway_request_duration_seconds histogram");
    }

    @Test
    void requestsAreCountedByModelVersionVariantProtocolAndOutcome() throws Exception {
        Scrape scrape = scrape();

        String[] scorer = {"model", "scorer", "version", "1", "variant", "primary"};
        assertThat(scrape.value("slipway_requests_total", with(scorer, "protocol", "rest-v2", "outcome", "success")))
                .isEqualTo(3.0);
        assertThat(scrape.value("slipway_requests_total", with(scorer, "protocol", "rest-v1", "outcome", "success")))
                .isEqualTo(1.0);
        assertThat(scrape.value("slipway_requests_total", with(scorer, "protocol", "grpc", "outcome", "success")))
                .isEqualTo(1.0);
        assertThat(scrape.value("slipway_requests_total", "model", "scorer", "outcome", "client_error"))
                .isEqualTo(1.0);
        assertThat(scrape.value("slipway_requests_total", "model", "failing", "outcome", "server_error"))
                .isEqualTo(1.0);
        assertThat(scrape.value("slipway_request_errors_total", "model", "scorer", "code", "INVALID_INPUT"))
                .isEqualTo(1.0);
        assertThat(scrape.value(
                        "slipway_request_errors_total",
                        "model",
                        "failing",
                        "protocol",
                        "rest-v2",
                        "code",
                        "ENGINE_FAILURE"))
                .isEqualTo(1.0);
        assertThat(scrape.all("slipway_request_errors_total", "model", "scorer", "code", "ENGINE_FAILURE"))
                .isEmpty();
    }

    @Test
    void latencyIsAHistogramWithTheConfiguredBoundsAndTheSloThreshold() throws Exception {
        Scrape scrape = scrape();

        String[] v2 = {"model", "scorer", "version", "1", "protocol", "rest-v2", "outcome", "success"};
        List<Scrape.Sample> buckets = scrape.all("slipway_request_duration_seconds_bucket", v2);
        assertThat(buckets)
                .extracting(s -> s.labels().get("le"))
                .containsExactly("0.001", "0.005", "0.025", "0.1", "+Inf");
        assertThat(buckets).extracting(Scrape.Sample::value).isSortedAccordingTo(Double::compare);
        assertThat(buckets.get(buckets.size() - 1).value()).isEqualTo(3.0);
        assertThat(scrape.value("slipway_request_duration_seconds_count", v2)).isEqualTo(3.0);
        assertThat(scrape.value("slipway_request_duration_seconds_sum", v2)).isPositive();
    }

    @Test
    void rowsPerRequestAreAHistogram() throws Exception {
        Scrape scrape = scrape();

        String[] v2 = {"model", "scorer", "version", "1", "variant", "primary", "protocol", "rest-v2"};
        assertThat(scrape.value("slipway_request_rows_count", v2)).isEqualTo(3.0);
        assertThat(scrape.value("slipway_request_rows_sum", v2)).isEqualTo(6.0);
        assertThat(scrape.value("slipway_request_rows_bucket", with(v2, "le", "1.0")))
                .isEqualTo(1.0);
        assertThat(scrape.value("slipway_request_rows_bucket", with(v2, "le", "2.0")))
                .isEqualTo(2.0);
        assertThat(scrape.value("slipway_request_rows_bucket", with(v2, "le", "4.0")))
                .isEqualTo(3.0);
    }

    @Test
    void queueWaitAndEngineTimeArePerVersion() throws Exception {
        Scrape scrape = scrape();

        assertThat(scrape.value("slipway_batch_queue_wait_seconds_count", "model", "slow", "version", "1"))
                .isEqualTo(1.0);
        // the lone request waited the whole queue delay for company
        assertThat(scrape.value("slipway_batch_queue_wait_seconds_sum", "model", "slow", "version", "1"))
                .isBetween(1.9, 10.0);
        assertThat(scrape.value("slipway_batch_queue_wait_seconds_count", "model", "scorer", "version", "1"))
                .isEqualTo(5.0);
        assertThat(scrape.value("slipway_engine_duration_seconds_count", "model", "scorer", "version", "1"))
                .isBetween(1.0, 5.0);
        assertThat(scrape.value("slipway_engine_duration_seconds_sum", "model", "scorer", "version", "1"))
                .isPositive();
        assertThat(scrape.value("slipway_engine_rows_total", "model", "scorer", "version", "1"))
                .isEqualTo(8.0);
    }

    @Test
    void nothingIsInFlightOrQueuedOnceAnswered() throws Exception {
        Scrape scrape = scrape();

        for (String model : new String[] {"scorer", "slow", "flaky"}) {
            assertThat(scrape.value("slipway_requests_in_flight", "model", model, "version", "1"))
                    .isZero();
            assertThat(scrape.value("slipway_batch_queue_depth", "model", model, "version", "1"))
                    .isZero();
        }
    }

    @Test
    void aFallbackIsCountedAndTheBreakerStateIsAGauge() throws Exception {
        Scrape scrape = scrape();

        assertThat(scrape.value("slipway_fallbacks_total", "endpoint", "flaky")).isEqualTo(1.0);
        assertThat(scrape.value(
                        "slipway_requests_total",
                        "model",
                        "spare",
                        "variant",
                        "fallback",
                        "protocol",
                        "rest-v2",
                        "outcome",
                        "success"))
                .isEqualTo(1.0);
        assertThat(scrape.value("slipway_circuit_breaker_state", "model", "flaky", "state", "closed"))
                .isEqualTo(1.0);
        assertThat(scrape.value("slipway_circuit_breaker_state", "model", "flaky", "state", "open"))
                .isZero();
    }

    @Test
    void driftScoresOfTheClosedWindowAreGauges() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        scrape().value("slipway_drift_window_rows", "model", "scorer", "version", "1"))
                .isEqualTo(8.0));
        Scrape scrape = scrape();

        String[] f0 = {"model", "scorer", "version", "1", "feature", "f0"};
        // every live f0 lies in the reference's top decile: 10 % against 100 %, the other nine bins 0 (1e-4)
        double expected = (1 - 0.1) * Math.log(1 / 0.1) + 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
        assertThat(scrape.value("slipway_drift_psi", f0)).isCloseTo(expected, within(1e-9));
        assertThat(scrape.value("slipway_drift_detected", f0)).isEqualTo(1.0);
        assertThat(scrape.value("slipway_drift_ks_statistic", f0)).isCloseTo(0.91, within(1e-9));
    }

    @Test
    void sloBurnRatesAreGaugesPerWindow() throws Exception {
        Scrape scrape = scrape();

        String[] failing = {"model", "failing", "version", "1", "slo", "availability"};
        // one request, one engine failure, against a budget of 0.1 %
        assertThat(scrape.value("slipway_slo_burn_rate", with(failing, "window", "5m")))
                .isCloseTo(1000.0, within(1e-6));
        assertThat(scrape.value("slipway_slo_burn_rate", "model", "scorer", "slo", "availability", "window", "5m"))
                .isZero();
        assertThat(scrape.all("slipway_slo_burn_rate", failing))
                .extracting(s -> s.labels().get("window"))
                .contains("5m", "30m", "1h", "6h", "3d");
        assertThat(scrape.all("slipway_slo_alert_firing", with(failing, "severity", "page")))
                .extracting(Scrape.Sample::value)
                .contains(1.0);
    }

    @Test
    void promtoolCheckMetricsFindsNothingInALiveScrape() throws Exception {
        Optional<Path> promtool = promtool();
        assumeTrue(
                promtool.isPresent(),
                "promtool is not on the PATH: install Debian's prometheus package (apt-get install prometheus), as"
                        + " .ci/run does, to lint the live scrape");
        Path scrape =
                Files.writeString(root.resolve("scrape.txt"), get("/metrics").body());

        Process process = new ProcessBuilder(promtool.orElseThrow().toString(), "check", "metrics")
                .redirectInput(scrape.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(output).isEmpty();
        assertThat(process.exitValue()).isZero();
    }

    static Optional<Path> promtool() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String[] with(String[] labels, String... more) {
        String[] all = new String[labels.length + more.length];
        System.arraycopy(labels, 0, all, 0, labels.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }
}
