package dev.slipway.server.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.config.EnginesConfig;
import dev.slipway.config.FeedbackConfig;
import dev.slipway.config.ModelsConfig;
import dev.slipway.config.PayloadLogConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.ServingConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.server.SlipwayServer;
import dev.slipway.server.rest.ServerExtension.HttpResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payload log and delayed labels end to end on a real server: predictions with request ids, their lines in the JSONL
 * files (one feature dropped, one replaced by its keyed hash), feedback for some of them, the live quality, and the
 * same quality after a restart on the same prediction store.
 */
class FeedbackIT {
    private static final String SALT = "feedback-it-salt-0123456789";
    private static final int SERVED = 40;
    private static final int LABELLED = 30;

    @TempDir
    Path directory;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ServerExtension.TIMEOUT)
            .build();
    private @Nullable SlipwayServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SlipwayServer start() {
        Path models = directory.resolve("models");
        if (!Files.isDirectory(models)) {
            TestModels.fraud(2).writeTo(models);
        }
        ServerConfig serverConfig = new ServerConfig("127.0.0.1", 0, -1, 1, 2, 4L << 20, 100, 10_000L, 1024);
        PayloadLogConfig payloadLog = new PayloadLogConfig(
                true,
                directory.resolve("payloads").toString(),
                1.0,
                List.of("account_age_days"),
                List.of("amount"),
                SALT,
                null,
                null,
                null,
                null);
        FeedbackConfig feedback =
                FeedbackConfig.at(directory.resolve("feedback.db").toString());
        SlipwayConfig config = new SlipwayConfig(
                        serverConfig,
                        new ModelsConfig(models.toString()),
                        EnginesConfig.defaults(),
                        ServingConfig.none())
                .withPayloadLog(payloadLog)
                .withFeedback(feedback);
        server = SlipwayServer.start(config, Engines.discover(), Clock.systemUTC());
        return server;
    }

    private HttpResult send(String method, String path, @Nullable String body, @Nullable String requestId) {
        URI uri = URI.create("http://127.0.0.1:" + server().httpPort() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(ServerExtension.TIMEOUT);
        if (requestId != null) {
            request.header("x-request-id", requestId);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return ServerExtension.send(client, request.build());
    }

    private SlipwayServer server() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server;
    }

    /** One answered prediction: the id it was answered under, its inputs, probability and decision. */
    private record Answer(String id, int amount, int age, double probability, boolean fraudulent) {}

    private static int amount(int i) {
        return 100 * i;
    }

    private static int age(int i) {
        return 50 + (i * 37) % 300;
    }

    /** The true outcome of answer {@code i}: what the model decided, except for every fourth one. */
    private static boolean truth(int i, Answer answer) {
        return (i % 4 != 0) == answer.fraudulent();
    }

    @Test
    void predictionsAreLoggedLabelledJudgedAndTheQualitySurvivesARestart() throws Exception {
        start();
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < SERVED; i++) {
            // the last request sends no id: the server gives one and returns it in x-request-id
            String given = i == SERVED - 1 ? null : "trip-" + i;
            String body = "{\"instances\": [{\"amount\": " + amount(i) + ", \"account_age_days\": " + age(i) + "}]}";
            HttpResult result = send("POST", "/v1/models/fraud:predict", body, given);
            assertThat(result.status()).as("%s", result).isEqualTo(200);
            String id = result.header("x-request-id");
            assertThat(id).isNotNull();
            if (given != null) {
                assertThat(id).isEqualTo(given);
            }
            JsonNode prediction = result.json().get("predictions").get(0);
            answers.add(new Answer(
                    id,
                    amount(i),
                    age(i),
                    prediction.get("fraud_probability").floatValue(),
                    prediction.get("fraudulent").booleanValue()));
        }
        assertThat(answers).extracting(Answer::fraudulent).contains(true, false);

        // the payload log: one line per request, account_age_days dropped, amount replaced by its keyed hash
        Map<String, JsonNode> lines = awaitLines(SERVED);
        for (Answer answer : answers) {
            JsonNode line = lines.get(answer.id());
            assertThat(line).as("line of %s", answer.id()).isNotNull();
            assertThat(line.get("endpoint").asText()).isEqualTo("fraud");
            assertThat(line.get("model").asText()).isEqualTo("fraud");
            assertThat(line.get("version").asText()).isEqualTo("2");
            assertThat(line.get("variant").asText()).isEqualTo("primary");
            JsonNode features = line.get("features").get(0);
            assertThat(features.has("account_age_days")).isFalse();
            assertThat(features.get("amount").asText()).isEqualTo(hmac(Integer.toString(answer.amount())));
            assertThat(line.toString()).doesNotContain("\"amount\":" + answer.amount());
            assertThat((float) line.get("predictions")
                            .get(0)
                            .get("fraud_probability")
                            .doubleValue())
                    .isEqualTo((float) answer.probability());
        }

        // feedback for the last ones (the id the server gave included), and one id never served
        List<Answer> labelled = new ArrayList<>(answers.subList(SERVED - LABELLED, SERVED));
        ArrayNode items = ServerExtension.JSON.createArrayNode();
        for (Answer answer : labelled) {
            int i = answers.indexOf(answer);
            items.addObject().put("request_id", answer.id()).put("label", truth(i, answer));
        }
        items.addObject().put("request_id", "never-served").put("label", true);
        String feedback =
                ServerExtension.JSON.createObjectNode().set("feedback", items).toString();

        JsonNode first = ok(send("POST", "/v1/models/fraud/feedback", feedback, null));
        assertThat(first.get("accepted").asInt()).isEqualTo(LABELLED);
        assertThat(first.get("duplicates").asInt()).isZero();
        assertThat(texts(first.get("unknown"))).containsExactly("never-served");
        JsonNode again = ok(send("POST", "/v1/models/fraud/feedback", feedback, null));
        assertThat(again.get("accepted").asInt()).isZero();
        assertThat(again.get("duplicates").asInt()).isEqualTo(LABELLED);

        JsonNode quality = ok(send("GET", "/v1/models/fraud/quality?windows=2", null, null));
        assertThat(quality.get("endpoint").asText()).isEqualTo("fraud");
        JsonNode versions = quality.get("versions");
        assertThat(versions.size()).isEqualTo(1);
        JsonNode version = versions.get(0);
        assertThat(version.get("version").asText()).isEqualTo("2");
        assertThat(version.get("variant").asText()).isEqualTo("primary");
        assertThat(version.get("output").asText()).isEqualTo("fraud_probability");
        JsonNode total = version.get("total");
        assertThat(total.get("predictions").asLong()).isEqualTo(SERVED);
        assertThat(total.get("coverage").asDouble()).isCloseTo((double) LABELLED / SERVED, within(1e-12));
        assertMetrics(total.get("metrics"), answers, labelled);

        // the same quality after a restart on the same store; the same labels are still duplicates
        server().close();
        server = null;
        start();
        JsonNode restarted = ok(send("GET", "/v1/models/fraud/quality?windows=2", null, null));
        assertThat(restarted.get("versions")).isEqualTo(versions);
        JsonNode afterRestart = ok(send("POST", "/v1/models/fraud/feedback", feedback, null));
        assertThat(afterRestart.get("accepted").asInt()).isZero();
        assertThat(afterRestart.get("duplicates").asInt()).isEqualTo(LABELLED);
        assertThat(texts(afterRestart.get("unknown"))).containsExactly("never-served");

        // a different label for a row that has one: 409 naming the item and the id, nothing applied
        Answer changed = labelled.get(0);
        boolean old = truth(answers.indexOf(changed), changed);
        String conflicting =
                "{\"feedback\": [{\"request_id\": \"" + answers.get(0).id() + "\", \"label\": true},"
                        + " {\"request_id\": \"" + changed.id() + "\", \"label\": " + !old + "}]}";
        HttpResult conflict = send("POST", "/v1/models/fraud/feedback", conflicting, null);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.header("slipway-error-code")).isEqualTo("CONFLICT");
        assertThat(conflict.json().get("error").asText())
                .contains("feedback[1].label: " + !old + " for request '" + changed.id() + "' row 0 (expected: " + old)
                .contains("nothing in this batch was applied");
        assertThat(ok(send("GET", "/v1/models/fraud/quality?windows=2", null, null))
                        .get("versions"))
                .isEqualTo(versions);
    }

    @Test
    void badFeedbackIsRefusedNamingTheFieldTheValueAndTheExpectation() {
        start();
        HttpResult served = send(
                "POST", "/v1/models/fraud:predict", "{\"instances\": [{\"amount\": 1, \"account_age_days\": 2}]}", "a");
        assertThat(served.status()).isEqualTo(200);

        assertError(
                send("POST", "/v1/models/fraud/feedback", "{\"feedback\": [{\"request_id\": \"a\"}]}", null),
                400,
                "feedback[0].label: missing (expected: the true outcome");
        assertError(
                send(
                        "POST",
                        "/v1/models/fraud/feedback",
                        "{\"feedback\": [{\"request_id\": \"a\", \"label\": \"cat\"}]}",
                        null),
                400,
                "feedback[0].label: \"cat\" (expected: true, false, 1 or 0 for the probability output"
                        + " 'fraud_probability')");
        assertError(
                send(
                        "POST",
                        "/v1/models/fraud/feedback",
                        "{\"feedback\": [{\"request_id\": \"a\", \"row\": 3, \"label\": true}]}",
                        null),
                400,
                "feedback[0].row: 3 (expected: 0..0: request 'a' had 1 row)");
        ObjectNode tooMany = ServerExtension.JSON.createObjectNode();
        ArrayNode items = tooMany.putArray("feedback");
        for (int i = 0; i <= 10_000; i++) {
            items.addObject().put("request_id", "r-" + i).put("label", 1);
        }
        assertError(
                send("POST", "/v1/models/fraud/feedback", tooMany.toString(), null),
                400,
                "feedback: 10001 items (expected: at most 10000 per request)");
        assertError(
                send(
                        "POST",
                        "/v1/models/no-such-model/feedback",
                        "{\"feedback\": [{\"request_id\": \"a\", \"label\": true}]}",
                        null),
                404,
                "model 'no-such-model' is not served");
        assertError(send("GET", "/v1/models/fraud/quality?windows=x", null, null), 400, "windows: 'x' (expected");
        // none of it was applied: the label can still be given
        assertThat(ok(send(
                                "POST",
                                "/v1/models/fraud/feedback",
                                "{\"feedback\": [{\"request_id\": \"a\", \"label\": true}]}",
                                null))
                        .get("accepted")
                        .asInt())
                .isEqualTo(1);
    }

    private static void assertError(HttpResult result, int status, String message) {
        assertThat(result.status()).as("%s", result).isEqualTo(status);
        assertThat(result.json().get("error").asText()).contains(message);
    }

    private static JsonNode ok(HttpResult result) {
        assertThat(result.status()).as("%s", result).isEqualTo(200);
        return result.json();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** Accuracy, precision, recall, log-loss and ROC AUC computed here from the answers and their labels. */
    private static void assertMetrics(JsonNode metrics, List<Answer> answers, List<Answer> labelled) {
        int n = labelled.size();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int right = 0;
        double logLoss = 0;
        List<Double> positives = new ArrayList<>();
        List<Double> negatives = new ArrayList<>();
        for (Answer answer : labelled) {
            boolean y = truth(answers.indexOf(answer), answer);
            boolean predicted = answer.fraudulent();
            right += y == predicted ? 1 : 0;
            tp += y && predicted ? 1 : 0;
            fp += !y && predicted ? 1 : 0;
            fn += y && !predicted ? 1 : 0;
            logLoss -= Math.log(y ? answer.probability() : 1 - answer.probability());
            (y ? positives : negatives).add(answer.probability());
        }
        double pairs = 0;
        for (double p : positives) {
            for (double q : negatives) {
                pairs += p > q ? 1 : p == q ? 0.5 : 0;
            }
        }
        assertThat(positives).isNotEmpty();
        assertThat(negatives).isNotEmpty();
        assertThat(metrics.get("labelled").asInt()).isEqualTo(n);
        assertThat(metrics.get("accuracy").asDouble()).isCloseTo((double) right / n, within(1e-12));
        assertThat(metrics.get("precision").asDouble()).isCloseTo((double) tp / (tp + fp), within(1e-12));
        assertThat(metrics.get("recall").asDouble()).isCloseTo((double) tp / (tp + fn), within(1e-12));
        assertThat(metrics.get("log_loss").asDouble()).isCloseTo(logLoss / n, within(1e-9));
        assertThat(metrics.get("roc_auc").asDouble())
                .isCloseTo(pairs / (positives.size() * negatives.size()), within(1e-12));
    }

    /** The payload log's lines by request id, once there are {@code count} of them (waits up to 20 s). */
    private Map<String, JsonNode> awaitLines(int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, JsonNode> lines = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            lines.clear();
            Path payloads = directory.resolve("payloads");
            try (Stream<Path> files = Files.list(payloads)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".jsonl"))
                        .sorted()
                        .toList()) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        if (!line.isEmpty()) {
                            JsonNode node = ServerExtension.JSON.readTree(line);
                            lines.put(node.get("request_id").asText(), node);
                        }
                    }
                }
            }
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the payload log has " + lines.size() + " lines, expected " + count);
    }

    private static String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SALT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
