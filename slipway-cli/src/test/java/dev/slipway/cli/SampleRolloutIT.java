package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.config.ConfigLoader;
import dev.slipway.inference.Engines;
import dev.slipway.server.SlipwayServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's rollout, end to end: the XGBoost stall detector in production, the logistic-regression challenger rolled
 * out as a candidate with {@code slipway rollout start} while truck pings from the sample data stream in, and the
 * controller deciding on evidence: the challenger scores pings on a different scale (its probabilities are calibrated
 * differently) and is caught in the shadow phase, before it answers any truck; the ONNX export of the production model
 * scores alike and is promoted step by step.
 */
class SampleRolloutIT {
    static final Path SAMPLE = Path.of("../examples/whatsup-logistics");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theLogisticChallengerIsCaughtScoringDifferentlyInTheShadowPhase() throws Exception {
        String db = registry(SAMPLE.resolve("challengers/stall-detector"));
        List<String> rows = rows();
        try (SlipwayServer server = server(db)) {
            cli(
                    "rollout",
                    "start",
                    "stall-detector",
                    "--candidate",
                    "2",
                    "--plan",
                    plan().toString(),
                    "--registry",
                    db,
                    "--reason",
                    "logistic challenger, notebook 2026-11");
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger fromCandidate = new AtomicInteger();
            String phase = load(server, rows, failures, fromCandidate);

            String status = cli("rollout", "status", "stall-detector", "--registry", db);
            JsonNode json = JSON.readTree(cli("rollout", "status", "stall-detector", "--registry", db, "--json"));
            assertThat(phase).as(status).isEqualTo("ROLLED_BACK");
            assertThat(failures.get()).isZero();
            assertThat(fromCandidate.get()).as("a shadow never answers a truck").isZero();
            assertThat(json.path("rollout").path("step").asInt()).isEqualTo(-1);
            assertThat(json.path("rollout").path("outcome").asText()).contains("prediction-shift", "shadow phase");
            JsonNode shift = check(json, "prediction-shift");
            assertThat(shift.path("verdict").asText()).isEqualTo("FAIL");
            assertThat(shift.path("statistic").asDouble()).isGreaterThan(0.1);
            assertThat(shift.path("pValue").asDouble()).isLessThan(0.01);
            assertThat(check(json, "error-rate").path("verdict").asText()).isEqualTo("PASS");
            assertThat(status).contains("ROLLED_BACK", "prediction-shift", "FAIL", "Kolmogorov-Smirnov D=");
            assertThat(cli("audit", "--model", "stall-detector", "--registry", db))
                    .contains("rollout-start", "rollout-step", "rollout-rollback");
            JsonNode after = predict(server, rows.get(0), "TRK-7");
            assertThat(after.path("model_version").asText()).isEqualTo("1");
        }
    }

    @Test
    void theOnnxExportOfTheSameModelPassesEveryStepAndIsPromoted() throws Exception {
        String db = registry(SAMPLE.resolve("models/stall-detector/2"));
        List<String> rows = rows();
        try (SlipwayServer server = server(db)) {
            cli(
                    "rollout",
                    "start",
                    "stall-detector",
                    "--candidate",
                    "2",
                    "--plan",
                    plan().toString(),
                    "--registry",
                    db);
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger fromCandidate = new AtomicInteger();
            String phase = load(server, rows, failures, fromCandidate);

            JsonNode json = JSON.readTree(cli("rollout", "status", "stall-detector", "--registry", db, "--json"));
            assertThat(phase).as(json.toPrettyString()).isEqualTo("PROMOTED");
            assertThat(failures.get()).isZero();
            assertThat(fromCandidate.get())
                    .as("the canary answered its share of trucks")
                    .isPositive();
            assertThat(json.path("rollout").path("last").path("verdict").asText())
                    .isEqualTo("PASS");
            assertThat(check(json, "sample-ratio").path("pValue").asDouble()).isGreaterThan(0.001);
            assertThat(cli("models", "show", "stall-detector", "--registry", db))
                    .contains("production");
            JsonNode after = predict(server, rows.get(0), "TRK-7");
            assertThat(after.path("model_version").asText()).isEqualTo("2");
        }
    }

    @Test
    void anAbTestOfTheChallengerReportsItsEffectAndStopsBackOnTheControl() throws Exception {
        String db = registry(SAMPLE.resolve("challengers/stall-detector"));
        List<String> rows = rows();
        try (SlipwayServer server = server(db)) {
            cli(
                    "experiment",
                    "start",
                    "stall-detector",
                    "--arm",
                    "control=1:50",
                    "--arm",
                    "logistic=2:50",
                    "--min-rows",
                    "300",
                    "--registry",
                    db);
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger fromChallenger = new AtomicInteger();
            JsonNode report = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 200; i++) {
                    JsonNode answer = predict(server, rows.get(i % rows.size()), "TRK-" + i);
                    if (answer.path("model_version").asText().equals("2")) {
                        fromChallenger.incrementAndGet();
                    }
                }
                report = JSON.readTree(cli("experiment", "report", "stall-detector", "--registry", db, "--json"));
                if (report.path("rollout").path("last").path("verdict").asText().equals("PASS")) {
                    break;
                }
            }

            assertThat(report.path("rollout").path("phase").asText()).isEqualTo("EXPERIMENT");
            assertThat(report.path("rollout").path("last").path("verdict").asText())
                    .isEqualTo("PASS");
            assertThat(failures.get()).isZero();
            assertThat(fromChallenger.get()).isPositive();
            JsonNode effect = check(report, "positive-rate:logistic");
            assertThat(effect.path("detail").asText()).contains("95% CI", "chi-squared p=");
            assertThat(check(report, "sample-ratio").path("verdict").asText()).isEqualTo("PASS");
            assertThat(cli("experiment", "report", "stall-detector", "--registry", db))
                    .contains(
                            "A/B test of 2 arms, control control v1", "positive-rate:logistic", "mean-score:logistic");

            JsonNode stopped = JSON.readTree(
                    cli("experiment", "stop", "stall-detector", "--registry", db, "--json", "--reason", "no winner"));
            assertThat(stopped.path("rollout").path("phase").asText()).isEqualTo("ABORTED");
            assertThat(cli("models", "show", "stall-detector:1", "--registry", db))
                    .contains("production");
        }
    }

    /** A registry with the XGBoost detector and the rules in production, and {@code candidate} as version 2. */
    private String registry(Path candidate) {
        String db = temp.resolve("registry.db").toString();
        cli(
                "models",
                "push",
                SAMPLE.resolve("models/stall-detector/1").toString(),
                "--registry",
                db,
                "--alias",
                "production");
        cli(
                "models",
                "push",
                SAMPLE.resolve("models/stall-rules/1").toString(),
                "--registry",
                db,
                "--alias",
                "production");
        cli("models", "push", candidate.toString(), "--registry", db);
        return db;
    }

    private SlipwayServer server(String db) throws Exception {
        Path config = Files.writeString(
                temp.resolve("slipway.yaml"),
                """
                server: {host: 127.0.0.1, http-port: 0, grpc-port: -1}
                registry: {location: %s, poll-interval: PT0.2S}
                endpoints:
                  stall-detector:
                    routing-key: {header: X-Truck-Id}
                    fallback: [primary, stall-rules]
                rollouts: {tick-interval: PT0.2S, lease: PT2S, instance-id: sample-it}
                """
                        .formatted(db));
        return SlipwayServer.start(ConfigLoader.load(config), Engines.discover(), Clock.systemUTC());
    }

    /**
     * The sample challenger's plan with bakes of seconds instead of minutes. Seconds of traffic on a loaded two-core
     * machine put a freshly loaded version's warm-up outliers (JIT, first ONNX Runtime calls: p99 2-6 ms against
     * ~0.4 ms) into its p99, which minutes of bake would dilute; a 10 ms slack keeps the latency check about real
     * slowness here.
     */
    private Path plan() throws Exception {
        return Files.writeString(
                temp.resolve("plan.yaml"),
                """
                shadow: {duration: PT3S, min-requests: 300, sample: 100, max-disagreement: 0.05}
                steps:
                  - {weight: 10, bake: PT3S, min-requests: 100}
                  - {weight: 50, bake: PT3S, min-requests: 300}
                deadline: PT30S
                checks: {latency-slack-ms: 10}
                """);
    }

    /** Streams pings (four threads, 400 trucks) until the rollout ends; returns the final phase. */
    private String load(SlipwayServer server, List<String> rows, AtomicInteger failures, AtomicInteger fromCandidate)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        AtomicInteger next = new AtomicInteger();
        String[] phase = {"PENDING"};
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < deadline && active(phase[0])) {
                    int i = next.incrementAndGet();
                    try {
                        JsonNode answer = predict(server, rows.get(i % rows.size()), "TRK-" + (i % 400));
                        if (answer.path("model_version").asText().equals("2")) {
                            fromCandidate.incrementAndGet();
                        }
                    } catch (Exception | AssertionError e) {
                        failures.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        String db = temp.resolve("registry.db").toString();
        while (System.nanoTime() < deadline && active(phase[0])) {
            Thread.sleep(200);
            phase[0] = JSON.readTree(cli("rollout", "status", "stall-detector", "--registry", db, "--json"))
                    .path("rollout")
                    .path("phase")
                    .asText();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return phase[0];
    }

    private static boolean active(String phase) {
        return phase.equals("PENDING") || phase.equals("SHADOW") || phase.equals("CANARY");
    }

    private JsonNode predict(SlipwayServer server, String row, String truck) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.httpPort() + "/v1/models/stall-detector:predict"))
                        .header("X-Truck-Id", truck)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [" + row + "]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The sample pings as V1 instances (JSON objects). */
    private static List<String> rows() throws Exception {
        List<String> lines = Files.readAllLines(SAMPLE.resolve("data/pings.csv"));
        String[] header = lines.get(0).split(",");
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(1, Math.min(lines.size(), 2001))) {
            String[] cells = line.split(",", -1);
            StringBuilder row = new StringBuilder("{");
            for (int c = 0; c < header.length; c++) {
                if (header[c].equals("stalled")) {
                    continue;
                }
                row.append(row.length() == 1 ? "" : ",")
                        .append('"')
                        .append(header[c])
                        .append("\":");
                String cell = cells[c];
                if (cell.isEmpty()) {
                    row.append("null");
                } else if (header[c].equals("road_type")) {
                    row.append('"').append(cell).append('"');
                } else if (header[c].equals("in_geofence") || header[c].equals("ignition_on")) {
                    row.append(cell.equals("1") ? "true" : "false");
                } else {
                    row.append(cell);
                }
            }
            rows.add(row.append('}').toString());
        }
        return rows;
    }

    private static JsonNode check(JsonNode status, String name) {
        for (JsonNode check : status.path("rollout").path("last").path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + status);
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(String.join(" ", args) + "\n" + out + err).isZero();
        return out.toString();
    }
}
