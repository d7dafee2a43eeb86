package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.manifest.Category;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.config.ModelsConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.parity.CsvRows;
import dev.slipway.server.SlipwayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped sample served for real: V1 and V2 inference on {@code stall-detector} reproduce the probabilities the
 * Python research code wrote into the golden file.
 */
class SampleDeploymentIT {
    static final Path MODELS = Path.of("../examples/whatsup-logistics/models");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static SlipwayServer server;

    @BeforeAll
    static void start() {
        SlipwayConfig config = new SlipwayConfig(
                ServerConfig.defaults().withAddress("127.0.0.1", 0, 0), new ModelsConfig(MODELS.toString()), null);
        server = SlipwayServer.start(config, Engines.discover(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode post(String path, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    @Test
    void everySampleModelIsReadyAndTheServerToo() throws Exception {
        HttpResponse<String> ready = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/health/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(server.repository().all()).hasSize(4).allMatch(m -> m.ready());
    }

    @ParameterizedTest(name = "stall-detector v{0} over KServe V1 within {1}")
    @CsvSource({"1, 1e-6", "2, 1e-5"})
    void v1PredictionsMatchTheGoldenFile(int version, double tolerance) throws Exception {
        Path directory = MODELS.resolve("stall-detector").resolve(Integer.toString(version));
        ModelManifest manifest = ManifestReader.read(directory);
        CsvRows golden = CsvRows.read(directory.resolve("golden.csv"));
        ArrayNode instances = JSON.createArrayNode();
        for (Map<String, Object> row : golden.rows()) {
            ObjectNode instance = instances.addObject();
            for (FeatureSpec feature : manifest.features()) {
                instance.putPOJO(feature.name(), row.get(feature.name()));
            }
        }
        String body = JSON.writeValueAsString(JSON.createObjectNode().set("instances", instances));

        JsonNode response = post("/v1/models/stall-detector/versions/" + version + ":predict", body, 200);

        assertThat(response.get("model_version").asText()).isEqualTo(Integer.toString(version));
        JsonNode predictions = response.get("predictions");
        assertThat(predictions).hasSize(golden.rows().size());
        for (int i = 0; i < predictions.size(); i++) {
            Map<String, Object> row = golden.rows().get(i);
            assertThat(predictions.get(i).get("stall_probability").asDouble())
                    .as("row %d", i)
                    .isCloseTo((Double) row.get("stall_probability"), within(tolerance));
            assertThat(predictions.get(i).get("stalled").asBoolean())
                    .as("row %d", i)
                    .isEqualTo(row.get("stalled"));
        }
    }

    @ParameterizedTest(name = "stall-detector v{0} over Open Inference Protocol v2 within {1}")
    @CsvSource({"1, 1e-6", "2, 1e-5"})
    void v2InferenceMatchesTheGoldenFile(int version, double tolerance) throws Exception {
        Path directory = MODELS.resolve("stall-detector").resolve(Integer.toString(version));
        ModelManifest manifest = ManifestReader.read(directory);
        CsvRows golden = CsvRows.read(directory.resolve("golden.csv"));
        ArrayNode data = JSON.createArrayNode();
        for (Map<String, Object> row : golden.rows()) {
            ArrayNode values = data.addArray();
            for (String column : manifest.tensors().get(0).columns()) {
                FeatureSpec feature = manifest.feature(column).orElseThrow();
                Object value = row.get(column);
                if (value == null) {
                    values.addNull();
                } else if (!feature.categories().isEmpty()) {
                    values.add(feature.categories().stream()
                            .filter(c -> c.name().equals(value))
                            .mapToInt(Category::code)
                            .findFirst()
                            .orElseThrow());
                } else {
                    values.add((Double) value);
                }
            }
        }
        ObjectNode request = JSON.createObjectNode().put("id", "golden-" + version);
        ObjectNode input = request.putArray("inputs").addObject();
        input.put("name", "input").put("datatype", "FP32");
        input.putArray("shape").add(golden.rows().size()).add(10);
        input.set("data", data);

        JsonNode response =
                post("/v2/models/stall-detector/versions/" + version + "/infer", JSON.writeValueAsString(request), 200);

        assertThat(response.get("id").asText()).isEqualTo("golden-" + version);
        JsonNode probabilities = response.get("outputs").get(0);
        assertThat(probabilities.get("name").asText()).isEqualTo("stall_probability");
        for (int i = 0; i < golden.rows().size(); i++) {
            assertThat(probabilities.get("data").get(i).asDouble())
                    .as("row %d", i)
                    .isCloseTo((Double) golden.rows().get(i).get("stall_probability"), within(tolerance));
        }
    }

    @Test
    void requestsWithoutAVersionGoToTheOnnxVersion() throws Exception {
        JsonNode response = post(
                "/v1/models/stall-detector:predict",
                java.nio.file.Files.readString(Path.of("../examples/whatsup-logistics/requests/v1-stalled.json")),
                200);

        assertThat(response.get("model_version").asText()).isEqualTo("2");
        assertThat(response.get("predictions").get(0).get("stalled").asBoolean())
                .isTrue();
        assertThat(response.get("predictions").get(1).get("stalled").asBoolean())
                .isFalse();
    }

    @Test
    void theRulesFallbackAndTheChallengerServeToo() throws Exception {
        String body = java.nio.file.Files.readString(Path.of("../examples/whatsup-logistics/requests/v1-stalled.json"));

        JsonNode rules = post("/v1/models/stall-rules:predict", body, 200);
        JsonNode challenger = post("/v1/models/stall-detector-logreg:predict", body, 200);

        assertThat(rules.get("predictions").get(0).get("stall_probability").asDouble())
                .isEqualTo(0.9);
        assertThat(challenger.get("predictions").get(0).get("stall_probability").asDouble())
                .isBetween(0.0, 1.0);
    }

    @Test
    void contractViolationsNameTheFieldTheValueAndTheExpectation() throws Exception {
        String body = java.nio.file.Files.readString(Path.of("../examples/whatsup-logistics/requests/v1-stalled.json"))
                .replaceFirst("\"speed_kmh\": 0.0", "\"speed_kmh\": -5.0");

        JsonNode response = post("/v1/models/stall-detector:predict", body, 400);

        assertThat(response.get("error").asText()).isEqualTo("row 0: speed_kmh: -5.0 (expected: 0..160)");
    }
}
