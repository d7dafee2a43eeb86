package dev.slipway.server.telemetry;

import static dev.slipway.server.telemetry.TelemetryModels.inferBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.config.MetricsConfig;
import dev.slipway.config.ModelsConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.server.SlipwayServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DogStatsD: with {@code metrics.statsd.enabled}, a real UDP socket on port 0 receives Datadog-format lines ({@code
 * name:value|type|#tag:value,...}) for the serving metrics. Micrometer's UDP sink drops lines sent before it has
 * connected (about the first second), so the test keeps serving requests until the lines arrive.
 */
class StatsdIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A request counted: a counter line tagged with its model, version, variant, protocol and outcome. */
    static final Predicate<String> REQUEST = line -> line.startsWith("slipway.requests:1|c|#")
            && line.contains("model:scorer")
            && line.contains("version:1")
            && line.contains("variant:primary")
            && line.contains("protocol:rest-v2")
            && line.contains("outcome:success");

    /** A gauge line of the version's in-flight requests. */
    static final Predicate<String> IN_FLIGHT =
            line -> line.startsWith("slipway.requests.in.flight:0|g|#") && line.contains("model:scorer");

    @TempDir
    Path root;

    @Test
    void servingMetricsArriveAsDatadogLines() throws Exception {
        TelemetryModels.plain(root, "scorer");
        try (DatagramSocket agent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            agent.setSoTimeout(100);
            MetricsConfig metrics = new MetricsConfig(
                    null,
                    false,
                    null,
                    null,
                    null,
                    new MetricsConfig.Statsd(
                            true, "127.0.0.1", agent.getLocalPort(), "datadog", Duration.ofSeconds(1)));
            SlipwayConfig config = new SlipwayConfig(
                            ServerConfig.defaults().withAddress("127.0.0.1", 0, -1),
                            new ModelsConfig(root.toString()),
                            null)
                    .withTelemetry(metrics, null, null, null);
            List<String> lines = new ArrayList<>();
            try (SlipwayServer server = SlipwayServer.start(config, Engines.discover(), Clock.systemUTC())) {
                HttpRequest infer = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/scorer/infer"))
                        .POST(HttpRequest.BodyPublishers.ofString(inferBody(new float[] {1, 2, 3})))
                        .build();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                byte[] buffer = new byte[65_536];
                while ((lines.stream().noneMatch(REQUEST) || lines.stream().noneMatch(IN_FLIGHT))
                        && System.nanoTime() < deadline) {
                    assertThat(HTTP.send(infer, HttpResponse.BodyHandlers.ofString())
                                    .statusCode())
                            .isEqualTo(200);
                    try {
                        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                        agent.receive(packet);
                        String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                        lines.addAll(List.of(text.split("\n")));
                    } catch (SocketTimeoutException e) {
                        // nothing yet
                    }
                }
                assertThat(server.telemetry().prometheusOn()).isFalse();
            }
            assertThat(lines).as("lines received").anyMatch(REQUEST).anyMatch(IN_FLIGHT);
            assertThat(lines).anyMatch(line -> line.startsWith("slipway.request.duration:") && line.contains("|ms|#"));
        }
    }
}
