package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serving process killed with SIGKILL in the middle of a canary step: the restarted process reads the rollout back
 * from the registry, routes by the same table (same epoch, same sticky split), resumes at the same step with a fresh
 * observation window, and finishes the rollout.
 */
class RolloutProcessIT {
    static final Path SAMPLE = Path.of("../examples/whatsup-logistics");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern PORT = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/v2/health/ready");
    static final String PING = "{\"instances\": [{\"speed_kmh\": 0.0, \"minutes_since_last_move\": 240.0,"
            + " \"minutes_since_last_ping\": 2.0, \"distance_to_destination_km\": 180.0,"
            + " \"distance_to_nearest_depot_km\": 95.0, \"in_geofence\": false, \"hour_of_day\": 14,"
            + " \"driver_hours_today\": 6.0, \"ignition_on\": true, \"road_type\": \"highway\"}]}";

    @TempDir
    Path temp;

    final HttpClient http = HttpClient.newHttpClient();
    int sent;

    @Test
    void aRolloutSurvivesKillMinusNineAndResumesAtTheSameStep() throws Exception {
        String db = temp.resolve("registry.db").toString();
        cli(
                "models",
                "push",
                SAMPLE.resolve("models/stall-detector/1").toString(),
                "--registry",
                db,
                "--alias",
                "production");
        cli("models", "push", SAMPLE.resolve("models/stall-detector/2").toString(), "--registry", db);
        Path config = Files.writeString(
                temp.resolve("slipway.yaml"),
                """
                server: {host: 127.0.0.1, http-port: 0, grpc-port: -1}
                registry: {poll-interval: PT0.2S}
                endpoints:
                  stall-detector: {routing-key: {header: X-Truck-Id}}
                rollouts: {tick-interval: PT0.2S, lease: PT2S, instance-id: replica-a}
                """);
        Path plan = Files.writeString(
                temp.resolve("plan.yaml"),
                """
                steps:
                  - {weight: 10, bake: PT2S, min-requests: 50}
                  - {weight: 50, bake: PT4S, min-requests: 100}
                deadline: PT60S
                checks: {latency-slack-ms: 20}
                """);
        String[] serve = {"serve", "--config", config.toString(), "--registry", db};

        long epochBefore;
        String assignedBefore;
        try (Processes.Running first = Processes.java(temp, SlipwayCli.class.getName(), serve)) {
            int port = Integer.parseInt(first.await(PORT, 60).group(1));
            cli("rollout", "start", "stall-detector", "--candidate", "2", "--plan", plan.toString(), "--registry", db);
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (step(db) < 1 && System.nanoTime() < until) {
                load(port, 20);
            }
            assertThat(phase(db)).isEqualTo("CANARY");
            assertThat(step(db)).isEqualTo(1);
            epochBefore = status(db).path("table").path("epoch").asLong();
            assignedBefore = variants(port);
            first.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
            first.process.waitFor();
        }

        try (Processes.Running second = Processes.java(temp, SlipwayCli.class.getName(), serve)) {
            int port = Integer.parseInt(second.await(PORT, 60).group(1));
            assertThat(variants(port)).as("the same trucks on the same arms").isEqualTo(assignedBefore);
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!status(db).path("rollout").path("outcome").asText().contains("took over")
                    && System.nanoTime() < until) {
                load(port, 5);
            }
            JsonNode resumed = status(db);
            assertThat(resumed.path("rollout").path("phase").asText()).isEqualTo("CANARY");
            assertThat(resumed.path("rollout").path("step").asInt()).isEqualTo(1);
            assertThat(resumed.path("table").path("epoch").asLong()).isEqualTo(epochBefore);
            while (phase(db).equals("CANARY") && System.nanoTime() < until) {
                load(port, 20);
            }
            assertThat(phase(db)).isEqualTo("PROMOTED");
        }
    }

    /** Which variant answers each of 40 trucks, as one string. */
    private String variants(int port) throws Exception {
        StringBuilder variants = new StringBuilder();
        for (int truck = 0; truck < 40; truck++) {
            variants.append(send(port, "TRK-" + truck)
                            .headers()
                            .firstValue("Slipway-Variant")
                            .orElse("?"))
                    .append(' ');
        }
        return variants.toString();
    }

    private void load(int port, int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = send(port, "TRK-" + (sent++ % 1000));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private HttpResponse<String> send(int port, String truck) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/stall-detector:predict"))
                        .header("X-Truck-Id", truck)
                        .POST(HttpRequest.BodyPublishers.ofString(PING))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode status(String db) throws Exception {
        return JSON.readTree(cli("rollout", "status", "stall-detector", "--registry", db, "--json"));
    }

    private static String phase(String db) throws Exception {
        return status(db).path("rollout").path("phase").asText();
    }

    private static int step(String db) throws Exception {
        return status(db).path("rollout").path("step").asInt();
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(String.join(" ", args) + "\n" + out + err).isZero();
        return out.toString();
    }
}
