package dev.slipway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.config.RolloutsConfig;
import dev.slipway.config.SecurityConfig;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.rollout.EndpointPolicy;
import dev.slipway.security.Role;
import dev.slipway.security.TokenStore;
import dev.slipway.server.SlipwayServer;
import dev.slipway.testing.FakeModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts on a real server over a real SQLite registry: started over the admin API, driven by the controller on its
 * schedule under live HTTP load, routed by truck key, stamped on every response, promoted or rolled back on evidence.
 */
class RolloutIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OPERATOR = TokenStore.newToken();
    static final String READER = TokenStore.newToken();
    static final String PLAN =
            """
            {"steps": [{"weight": 20, "bake": "PT1S", "min-requests": 150},
                       {"weight": 50, "bake": "PT1S", "min-requests": 150}],
             "deadline": "PT20S", "checks": {"latency-slack-ms": 20}}""";

    @TempDir
    Path temp;

    RegistryServer registry;
    SlipwayServer server;
    final HttpClient http = HttpClient.newHttpClient();

    void start(float candidateBias, boolean candidateFails) throws IOException {
        start(candidateBias, candidateFails, java.util.function.UnaryOperator.identity());
    }

    void start(
            float candidateBias,
            boolean candidateFails,
            java.util.function.UnaryOperator<dev.slipway.config.SlipwayConfig> more)
            throws IOException {
        registry = new RegistryServer(temp);
        registry.push("scorer", 0.25f, ModelRegistry.PRODUCTION);
        Path candidate = registry.version("scorer", candidateBias);
        if (candidateFails) {
            FakeModels.failAbove(candidate, 10.5); // golden rows stay below; every request below is above
        }
        registry.registry.push(
                candidate,
                new dev.slipway.registry.PushOptions("setup", "candidate", null, null),
                registry.loader,
                dev.slipway.registry.PushListener.NONE);
        registry.push("scorer-rules", 0.0f, ModelRegistry.PRODUCTION);
        Path tokens = Files.writeString(
                temp.resolve("tokens"),
                TokenStore.entry("otto", Role.OPERATOR, OPERATOR) + "\n"
                        + TokenStore.entry("ann", Role.READER, READER));
        EndpointPolicy policy = EndpointPolicy.of(
                EndpointPolicy.RoutingKey.of("X-Truck-Id", "truck_id"),
                null,
                List.of("primary", "scorer-rules"),
                500L,
                null,
                null,
                null);
        server = registry.start(
                new SecurityConfig(tokens.toString(), "reader", null, null),
                Map.of("scorer", policy),
                new RolloutsConfig(Duration.ofMillis(100), Duration.ofSeconds(1), "it", null),
                more);
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aGoodCandidateIsPromotedUnderLoadWithStickyStampedResponses() throws Exception {
        start(0.25f, false);
        JsonNode started = admin("POST", "/admin/v1/rollouts/scorer", "{\"candidate\": 2, \"plan\": " + PLAN + "}");
        assertThat(started.path("rollout").path("phase").asText()).isEqualTo("PENDING");

        Map<String, String> variantByKeyAndEpoch = new ConcurrentHashMap<>();
        AtomicInteger canaryAnswers = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        String phase = loadUntilDone(variantByKeyAndEpoch, canaryAnswers, errors);

        assertThat(phase).isEqualTo("PROMOTED");
        assertThat(errors.get()).isZero();
        assertThat(canaryAnswers.get()).isPositive();
        assertThat(registry.registry.version("scorer", "production").version()).isEqualTo(2);
        JsonNode status = admin("GET", "/admin/v1/rollouts/scorer", null);
        assertThat(status.path("rollout").path("last").path("verdict").asText()).isEqualTo("PASS");
        assertThat(registry.registry.audit("scorer", 50))
                .extracting(dev.slipway.registry.AuditEntry::action)
                .contains("rollout-start", "rollout-step", "rollout-promote");
    }

    @Test
    void aFailingCandidateIsAnsweredByTheFallbackChainAndRolledBack() throws Exception {
        start(0.25f, true);
        admin("POST", "/admin/v1/rollouts/scorer", "{\"candidate\": 2, \"plan\": " + PLAN + "}");

        AtomicInteger canaryAnswers = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        String phase = loadUntilDone(new ConcurrentHashMap<>(), canaryAnswers, errors);

        assertThat(phase).isEqualTo("ROLLED_BACK");
        assertThat(errors.get())
                .as("clients never saw the candidate's failures")
                .isZero();
        assertThat(canaryAnswers.get()).isZero();
        JsonNode status = admin("GET", "/admin/v1/rollouts/scorer", null);
        assertThat(status.path("rollout").path("outcome").asText()).contains("error-rate", "fallback-rate");
        assertThat(registry.registry.version("scorer", "production").version()).isEqualTo(1);
    }

    @Test
    void thePinHeaderNeedsTheOperatorRoleAndBypassesRouting() throws Exception {
        start(0.5f, false);

        HttpResponse<String> reader = infer("TRK-1", READER, "2");
        HttpResponse<String> operator = infer("TRK-1", OPERATOR, "2");
        HttpResponse<String> bad = infer("TRK-1", OPERATOR, "two");

        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.headers().firstValue("Slipway-Variant")).contains("pinned");
        assertThat(operator.headers().firstValue("Slipway-Model-Version")).contains("2");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Slipway-Model-Version", "'two'", "expected: a version number");
    }

    @Test
    void everyAnsweredOrRefusedRequestIsReportedToTheListenersWithWhoAnswered() throws Exception {
        start(0.5f, false);
        List<dev.slipway.observe.Served> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.listeners().add(events::add);

        infer("TRK-1", READER, null);
        infer("TRK-2", OPERATOR, "2");
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/scorer/infer"))
                        .header("Authorization", "Bearer " + READER)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": 3}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (events.size() < 3 && System.nanoTime() < until) {
            Thread.sleep(10); // events are told after the answer is written
        }
        assertThat(events).hasSize(3);
        assertThat(events.get(0).ok()).isTrue();
        assertThat(events.get(0).protocol()).isEqualTo("rest-v2");
        assertThat(events.get(0).variant()).isEqualTo("primary");
        assertThat(events.get(0).version()).isEqualTo("1");
        assertThat(events.get(0).rows()).isEqualTo(1);
        assertThat(events.get(0).latencyNanos()).isPositive();
        assertThat(events.get(0).response()).isInstanceOf(dev.slipway.api.InferenceResponse.class);
        assertThat(events.get(1).variant()).isEqualTo("pinned");
        assertThat(events.get(1).version()).isEqualTo("2");
        assertThat(events.get(2).error()).isEqualTo(dev.slipway.api.ErrorCode.INVALID_INPUT);
        assertThat(events.get(2).endpoint()).isEqualTo("scorer");
        assertThat(events.get(2).response()).isNull();
    }

    @Test
    void theScrapeShowsEachVariantsShareAndTheEpochOfTheTableInForce() throws Exception {
        start(0.25f, false);
        admin(
                "POST",
                "/admin/v1/rollouts/scorer",
                "{\"candidate\": 2, \"plan\": {\"steps\": [{\"weight\": 20, \"bake\": \"PT1H\"}],"
                        + " \"deadline\": \"PT2H\"}}");
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode status = admin("GET", "/admin/v1/rollouts/scorer", null);
        while (!status.path("rollout").path("phase").asText().equals("CANARY") && System.nanoTime() < until) {
            Thread.sleep(50);
            status = admin("GET", "/admin/v1/rollouts/scorer", null);
        }
        long epoch = status.path("table").path("epoch").asLong();

        server.telemetry().tickNow();
        HttpResponse<String> scrape = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                        .header("Authorization", "Bearer " + OPERATOR)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("slipway_routing_weight{model=\"scorer\",variant=\"canary\",version=\"2\"} 0.2\n")
                .contains("slipway_routing_weight{model=\"scorer\",variant=\"primary\",version=\"1\"} 0.8\n")
                .contains("slipway_routing_epoch{model=\"scorer\"} " + epoch + ".0\n")
                .contains("slipway_flag_evaluation_failures_total 0.0\n");
    }

    @Test
    void anAbTestReportsEachArmsQualityFromDelayedLabels() throws Exception {
        start(
                0.25f,
                false,
                config -> config.withFeedback(dev.slipway.config.FeedbackConfig.at(
                        temp.resolve("feedback.db").toString())));
        admin(
                "POST",
                "/admin/v1/experiments/scorer",
                "{\"arms\": [{\"variant\": \"control\", \"version\": 1, \"weight\": 50},"
                        + " {\"variant\": \"treatment\", \"version\": 2, \"weight\": 50}], \"min-rows\": 10}");
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!admin("GET", "/admin/v1/rollouts/scorer", null)
                        .path("rollout")
                        .path("phase")
                        .asText()
                        .equals("EXPERIMENT")
                && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        Map<String, Integer> answered = new java.util.TreeMap<>();
        com.fasterxml.jackson.databind.node.ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < 120; i++) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/scorer/infer"))
                            .header("Authorization", "Bearer " + READER)
                            .header("X-Truck-Id", "TRK-" + i)
                            .header("x-request-id", "ab-" + i)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3],"
                                            + "\"data\":[" + (i % 5) + ",1,2]}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            answered.merge(response.headers().firstValue("Slipway-Variant").orElseThrow(), 1, Integer::sum);
            items.addObject().put("request_id", "ab-" + i).put("label", i % 2 == 0);
        }
        HttpResponse<String> feedback = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.httpPort() + "/v1/models/scorer/feedback"))
                        .header("Authorization", "Bearer " + READER)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.createObjectNode().set("feedback", items).toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(200);

        JsonNode report = admin("GET", "/admin/v1/experiments/scorer", null);

        assertThat(answered.keySet()).containsExactly("control", "treatment");
        assertThat(report.path("experiment").path("rollout").path("phase").asText())
                .isEqualTo("EXPERIMENT");
        Map<String, Long> labelled = new java.util.TreeMap<>();
        for (JsonNode arm : report.path("labels")) {
            labelled.put(
                    arm.path("variant").asText(),
                    arm.path("total").path("metrics").path("labelled").asLong());
            assertThat(arm.path("total").path("metrics").path("accuracy").isNumber())
                    .as(arm.toString())
                    .isTrue();
        }
        assertThat(labelled)
                .as("every labelled request joined to the arm that answered it")
                .isEqualTo(Map.of(
                        "control", (long) answered.get("control"), "treatment", (long) answered.get("treatment")));
    }

    /** Sends keyed requests from four threads until the rollout ends; returns its final phase. */
    private String loadUntilDone(Map<String, String> stickiness, AtomicInteger canary, AtomicInteger errors)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        AtomicInteger next = new AtomicInteger();
        String[] phase = {"PENDING"};
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                while (System.nanoTime() < deadline && active(phase[0])) {
                    String key = "TRK-" + (next.incrementAndGet() % 500);
                    try {
                        HttpResponse<String> response = infer(key, READER, null);
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        String variant =
                                response.headers().firstValue("Slipway-Variant").orElse("?");
                        String epoch = response.headers()
                                .firstValue("Slipway-Routing-Epoch")
                                .orElse("?");
                        if (variant.equals("canary")) {
                            canary.incrementAndGet();
                        }
                        String previous = stickiness.putIfAbsent(key + "@" + epoch, variant);
                        if (previous != null && !previous.equals(variant) && !variant.equals("fallback")) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        while (System.nanoTime() < deadline && active(phase[0])) {
            Thread.sleep(100);
            phase[0] = admin("GET", "/admin/v1/rollouts/scorer", null)
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

    private HttpResponse<String> infer(String key, String token, String pin) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/scorer/infer"))
                .header("Authorization", "Bearer " + token)
                .header("X-Truck-Id", key)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":["
                                + (11 + Math.floorMod(key.hashCode(), 7)) + ",1,2]}]}"));
        if (pin != null) {
            request.header("Slipway-Model-Version", pin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode admin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .header("Authorization", "Bearer " + OPERATOR)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }
}
