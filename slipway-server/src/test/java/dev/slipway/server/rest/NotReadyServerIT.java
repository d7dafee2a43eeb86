package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static dev.slipway.server.rest.RestAssertions.assertOk;
import static dev.slipway.server.rest.RestAssertions.inferBody;
import static dev.slipway.server.rest.RestAssertions.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server where model {@code broken}'s only version failed its parity gate, beside {@code fraud}, whose version 1 is
 * ready and whose newer version 2 failed its parity gate.
 */
class NotReadyServerIT {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension()
            .models(TestModels.fraud(1), TestModels.fraud(2).wrongGolden(), TestModels.broken());

    private static final String ROW = inferBody(input("input", "FP32", "[1, 2]", "[1, 1]"));

    @Test
    @Specification(number = "3.7", text = "live while not ready: 200 {\"live\": true}")
    void serverIsLiveEvenWhenNotReady() {
        assertThat(assertOk(server.get("/v2/health/live")).toString()).isEqualTo("{\"live\":true}");
    }

    @Test
    @Specification(number = "3.7", text = "server not ready (a model without a ready version): 503 + error object")
    void serverIsNotReadyWhenAModelHasNoReadyVersion() {
        String message = assertError(server.get("/v2/health/ready"), 503, "MODEL_NOT_READY");

        assertThat(message).contains("not ready");
    }

    @Test
    @Specification(number = "3.7", text = "model not ready: 503 + error object naming the reason")
    void failedModelIsNotReadyWithReason() {
        assertThat(assertError(server.get("/v2/models/broken/ready"), 503, "MODEL_NOT_READY"))
                .contains("'broken'")
                .contains("parity gate failed");
        assertThat(assertError(server.get("/v2/models/broken/versions/1/ready"), 503, "MODEL_NOT_READY"))
                .contains("'broken'")
                .contains("FAILED")
                .contains("parity gate failed");
    }

    @Test
    @Specification(number = "3.7", text = "a model with one ready version is ready; its failed version is not")
    void modelWithAReadyVersionIsReady() {
        assertThat(assertOk(server.get("/v2/models/fraud/ready")).toString())
                .isEqualTo("{\"name\":\"fraud\",\"ready\":true}");
        assertThat(assertOk(server.get("/v2/models/fraud/versions/1/ready")).toString())
                .isEqualTo("{\"name\":\"fraud\",\"ready\":true}");
        assertThat(assertError(server.get("/v2/models/fraud/versions/2/ready"), 503, "MODEL_NOT_READY"))
                .contains("'fraud' version '2'")
                .contains("parity gate failed");
    }

    @Test
    @Specification(number = "1", text = "no version: the highest READY version answers, skipping a failed newer one")
    void inferWithoutVersionSkipsFailedNewerVersion() {
        JsonNode body = assertOk(server.post("/v2/models/fraud/infer", ROW));

        assertThat(body.get("model_version").asText()).isEqualTo("1");
        assertThat((float) RestAssertions.output(body, "fraud_probability")
                        .get("data")
                        .get(0)
                        .doubleValue())
                .isEqualTo(TestModels.fraudProbability(1, 1, 1));
    }

    @Test
    @Specification(number = "6.2", text = "infer on a model that is known but not ready: 503 with the reason")
    void inferOnFailedVersionIsUnavailable() {
        assertThat(assertError(server.post("/v2/models/broken/infer", ROW), 503, "MODEL_NOT_READY"))
                .contains("no ready version")
                .contains("parity gate failed");
        assertThat(assertError(server.post("/v2/models/broken/versions/1/infer", ROW), 503, "MODEL_NOT_READY"))
                .contains("parity gate failed");
        assertThat(assertError(server.post("/v2/models/fraud/versions/2/infer", ROW), 503, "MODEL_NOT_READY"))
                .contains("parity gate failed");
        assertThat(assertError(
                        server.post("/v1/models/broken:predict", "{\"instances\": [{\"a\": 1, \"b\": 1}]}"),
                        503,
                        "MODEL_NOT_READY"))
                .contains("parity gate failed");
        assertError(server.get("/v1/models/broken"), 503, "MODEL_NOT_READY");
    }

    @Test
    @Specification(number = "3.2", text = "metadata of a failed version: state FAILED and the reason in properties")
    void failedModelMetadataShowsStateAndReason() {
        JsonNode body = assertOk(server.get("/v2/models/broken"));

        assertThat(body.get("name").asText()).isEqualTo("broken");
        assertThat(body.get("versions").size()).isZero();
        assertThat(body.get("properties").get("state").asText()).isEqualTo("FAILED");
        assertThat(body.get("properties").get("reason").asText()).contains("parity gate failed");
        JsonNode failedVersion = assertOk(server.get("/v2/models/fraud/versions/2"));
        assertThat(failedVersion.get("properties").get("state").asText()).isEqualTo("FAILED");
        assertThat(failedVersion.get("properties").get("reason").asText()).contains("parity gate failed");
    }

    @Test
    @Specification(number = "3.2", text = "metadata without version: the ready version; only ready versions listed")
    void metadataWithoutVersionDescribesTheReadyVersion() {
        JsonNode body = assertOk(server.get("/v2/models/fraud"));

        assertThat(body.get("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(body.get("properties").get("version").asText()).isEqualTo("1");
        assertThat(body.get("properties").get("state").asText()).isEqualTo("READY");
    }

    @Test
    @Specification(number = "8.3", text = "index shows FAILED with its reason; {\"ready\": true} leaves it out")
    void indexShowsFailedVersionWithReason() {
        JsonNode all = assertOk(server.post("/v2/repository/index", ""));
        JsonNode ready = assertOk(server.post("/v2/repository/index", "{\"ready\": true}"));

        assertThat(all.size()).isEqualTo(3);
        assertThat(entry(all.get(0))).isEqualTo("broken 1 FAILED");
        assertThat(all.get(0).get("reason").asText()).contains("parity gate failed");
        assertThat(entry(all.get(1))).isEqualTo("fraud 1 READY");
        assertThat(all.get(1).get("reason").asText()).isEmpty();
        assertThat(entry(all.get(2))).isEqualTo("fraud 2 FAILED");
        assertThat(all.get(2).get("reason").asText()).contains("parity gate failed");
        assertThat(ready.size()).isEqualTo(1);
        assertThat(entry(ready.get(0))).isEqualTo("fraud 1 READY");
    }

    private static String entry(JsonNode entry) {
        return entry.get("name").asText() + " " + entry.get("version").asText() + " "
                + entry.get("state").asText();
    }
}
