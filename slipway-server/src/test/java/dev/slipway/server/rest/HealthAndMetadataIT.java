package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static dev.slipway.server.rest.RestAssertions.assertOk;
import static dev.slipway.server.rest.RestAssertions.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.config.ServingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Health, server metadata, model metadata and model readiness of a server whose models are all ready. */
class HealthAndMetadataIT {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension()
            .models(TestModels.fraud(1), TestModels.fraud(2), TestModels.shipment())
            .serving(new ServingConfig(null, Map.of("fraud", new ServingConfig.Entry(8, 500L, null, 2))));

    @Test
    @Specification(number = "3.7", text = "server live: 200 {\"live\": true}")
    void serverLiveAnswersTrue() {
        JsonNode body = assertOk(server.get("/v2/health/live"));

        assertThat(body.toString()).isEqualTo("{\"live\":true}");
    }

    @Test
    @Specification(number = "3.7", text = "server ready: 200 {\"ready\": true} when every model has a ready version")
    void serverReadyAnswersTrueWhenEveryModelHasAReadyVersion() {
        JsonNode body = assertOk(server.get("/v2/health/ready"));

        assertThat(body.toString()).isEqualTo("{\"ready\":true}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2", "/v2/"})
    @Specification(number = "2", text = "server metadata answers on /v2 and /v2/")
    @Specification(number = "3.1", text = "server metadata: name, version, extensions")
    @Specification(number = "8.8", text = "extensions list exactly what the server implements")
    void serverMetadataNamesServerAndExtensions(String path) {
        JsonNode body = assertOk(server.get(path));

        assertThat(fieldNames(body)).containsExactly("name", "version", "extensions");
        assertThat(body.get("name").asText()).isEqualTo("slipway");
        assertThat(body.get("version").isTextual()).isTrue();
        assertThat(body.get("version").asText()).isNotBlank();
        assertThat(texts(body.get("extensions")))
                .containsExactly(
                        "binary_tensor_data",
                        "classification",
                        "model_configuration",
                        "model_repository",
                        "statistics");
    }

    @Test
    @Specification(number = "3.2", text = "model metadata without version: ready versions, tensors with -1")
    void modelMetadataWithoutVersionDescribesHighestReadyVersion() {
        JsonNode body = assertOk(server.get("/v2/models/fraud"));

        assertThat(body.get("name").asText()).isEqualTo("fraud");
        assertThat(texts(body.get("versions"))).containsExactly("1", "2");
        assertThat(body.get("platform").asText()).isEqualTo("fake");
        assertThat(tensors(body.get("inputs"))).containsExactly("input FP32 [-1,2]");
        assertThat(tensors(body.get("outputs")))
                .containsExactly(
                        "fraud_probability FP32 [-1]",
                        "fraudulent BOOL [-1]",
                        "label INT64 [-1]",
                        "probabilities FP32 [-1,2]",
                        "fraud_score64 FP64 [-1]");
        JsonNode properties = body.get("properties");
        assertThat(properties.get("version").asText()).isEqualTo("2");
        assertThat(properties.get("state").asText()).isEqualTo("READY");
        assertThat(properties.has("reason")).isFalse();
        assertThat(properties.get("owners.team").asText()).isEqualTo("serving");
    }

    @Test
    @Specification(number = "3.2", text = "model metadata with version describes that version")
    void modelMetadataWithVersionDescribesThatVersion() {
        JsonNode body = assertOk(server.get("/v2/models/fraud/versions/1"));

        assertThat(body.get("name").asText()).isEqualTo("fraud");
        assertThat(texts(body.get("versions"))).containsExactly("1");
        assertThat(body.get("properties").get("version").asText()).isEqualTo("1");
        assertThat(body.get("properties").get("state").asText()).isEqualTo("READY");
        assertThat(tensors(body.get("inputs"))).containsExactly("input FP32 [-1,2]");
    }

    @Test
    @Specification(number = "3.2", text = "model metadata: input tensor width is the manifest's column count")
    void modelMetadataShowsEveryFeatureColumn() {
        JsonNode body = assertOk(server.get("/v2/models/shipment-risk"));

        assertThat(tensors(body.get("inputs"))).containsExactly("input FP32 [-1,6]");
        assertThat(tensors(body.get("outputs"))).containsExactly("risk FP32 [-1]", "risky BOOL [-1]");
        assertThat(body.get("properties").get("feature.distance_km").asText())
                .contains("nullable")
                .contains("default 50");
    }

    @Test
    @Specification(
            number = "8.5",
            text = "model configuration: name, platform, backend, max_batch_size, input[], output[] as Triton writes")
    void modelConfigurationSplitsOffTheBatchDimension() {
        JsonNode body = assertOk(server.get("/v2/models/fraud/config"));

        assertThat(body.get("name").asText()).isEqualTo("fraud");
        assertThat(body.get("platform").asText()).isEqualTo("fake");
        assertThat(body.get("backend").asText()).isEqualTo("fake");
        assertThat(body.get("max_batch_size").asInt()).isEqualTo(server.maxRows());
        assertThat(configTensors(body.get("input"))).containsExactly("input TYPE_FP32 [2]");
        assertThat(configTensors(body.get("output")))
                .containsExactly(
                        "fraud_probability TYPE_FP32 []",
                        "fraudulent TYPE_BOOL []",
                        "label TYPE_INT64 []",
                        "probabilities TYPE_FP32 [2]",
                        "fraud_score64 TYPE_FP64 []");
        assertThat(body.get("dynamic_batching")
                        .get("max_queue_delay_microseconds")
                        .asLong())
                .isEqualTo(500);
        assertThat(body.get("instance_group").get(0).get("count").asInt()).isEqualTo(2);
        assertThat(body.get("instance_group").get(0).get("kind").asText()).isEqualTo("KIND_CPU");
    }

    @Test
    @Specification(number = "8.5", text = "model configuration of a version; unknown model or version is 404")
    void modelConfigurationOfAVersionAndOfUnknownModels() {
        JsonNode body = assertOk(server.get("/v2/models/shipment-risk/versions/1/config"));

        assertThat(configTensors(body.get("input"))).containsExactly("input TYPE_FP32 [6]");
        assertThat(body.has("dynamic_batching")).isFalse();
        assertThat(assertError(server.get("/v2/models/nope/config"), 404, "MODEL_NOT_FOUND"))
                .contains("'nope'");
        assertThat(assertError(server.get("/v2/models/fraud/versions/7/config"), 404, "MODEL_NOT_FOUND"))
                .contains("'7'");
    }

    private static List<String> configTensors(JsonNode tensors) {
        List<String> described = new ArrayList<>();
        for (JsonNode tensor : tensors) {
            described.add(
                    tensor.get("name").asText() + " " + tensor.get("data_type").asText() + " "
                            + tensor.get("dims").toString());
        }
        return described;
    }

    @Test
    @Specification(number = "3.7", text = "model ready: 200 {\"name\": m, \"ready\": true}")
    void modelReadyAnswersTrueForModelAndVersion() {
        assertThat(assertOk(server.get("/v2/models/fraud/ready")).toString())
                .isEqualTo("{\"name\":\"fraud\",\"ready\":true}");
        assertThat(assertOk(server.get("/v2/models/fraud/versions/1/ready")).toString())
                .isEqualTo("{\"name\":\"fraud\",\"ready\":true}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/models/nope", "/v2/models/nope/ready", "/v2/models/nope/versions/1"})
    @Specification(number = "6.2", text = "unknown model: 404 on metadata and ready")
    void unknownModelReturnsNotFound(String path) {
        String message = assertError(server.get(path), 404, "MODEL_NOT_FOUND");

        assertThat(message).contains("'nope'");
    }

    @Test
    @Specification(number = "6.2", text = "unknown model: 404 on infer, even before the body is read")
    void inferOnUnknownModelReturnsNotFound() {
        String body = RestAssertions.inferBody(RestAssertions.input("input", "FP32", "[1, 2]", "[1, 2]"));

        assertThat(assertError(server.post("/v2/models/nope/infer", body), 404, "MODEL_NOT_FOUND"))
                .contains("'nope'");
        assertThat(assertError(server.post("/v2/models/nope/versions/1/infer", "not json"), 404, "MODEL_NOT_FOUND"))
                .contains("'nope'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/models/fraud/versions/7", "/v2/models/fraud/versions/7/ready"})
    @Specification(number = "6.2", text = "unknown version of a known model: 404 on metadata and ready")
    void unknownVersionReturnsNotFound(String path) {
        String message = assertError(server.get(path), 404, "MODEL_NOT_FOUND");

        assertThat(message).contains("'fraud'").contains("'7'");
    }

    @Test
    @Specification(number = "6.2", text = "unknown version of a known model: 404 on infer")
    void inferOnUnknownVersionReturnsNotFound() {
        String body = RestAssertions.inferBody(RestAssertions.input("input", "FP32", "[1, 2]", "[1, 2]"));

        assertThat(assertError(server.post("/v2/models/fraud/versions/7/infer", body), 404, "MODEL_NOT_FOUND"))
                .contains("'7'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "1.0", "01", "v1", "99999999999999999999999"})
    @Specification(number = "1", text = "versions are positive decimal integers; anything else is an unknown version")
    void nonNumericVersionReturnsNotFound(String version) {
        String base = "/v2/models/fraud/versions/" + version;
        String body = RestAssertions.inferBody(RestAssertions.input("input", "FP32", "[1, 2]", "[1, 2]"));

        assertError(server.get(base), 404, "MODEL_NOT_FOUND");
        assertError(server.get(base + "/ready"), 404, "MODEL_NOT_FOUND");
        assertError(server.post(base + "/infer", body), 404, "MODEL_NOT_FOUND");
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array.isArray()).as("%s is an array", array).isTrue();
        List<String> texts = new ArrayList<>();
        for (JsonNode element : array) {
            assertThat(element.isTextual()).as("%s is a string", element).isTrue();
            texts.add(element.asText());
        }
        return texts;
    }

    /** Tensor metadata as {@code name DATATYPE [shape]}, checking each has exactly the three keys of §3.2. */
    private static List<String> tensors(JsonNode array) {
        List<String> tensors = new ArrayList<>();
        for (JsonNode tensor : array) {
            assertThat(fieldNames(tensor)).containsExactly("name", "datatype", "shape");
            tensors.add(
                    tensor.get("name").asText() + " " + tensor.get("datatype").asText() + " " + tensor.get("shape"));
        }
        return tensors;
    }
}
