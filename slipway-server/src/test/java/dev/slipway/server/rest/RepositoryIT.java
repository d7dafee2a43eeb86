package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static dev.slipway.server.rest.RestAssertions.assertOk;
import static dev.slipway.server.rest.RestAssertions.inferBody;
import static dev.slipway.server.rest.RestAssertions.input;
import static dev.slipway.server.rest.RestAssertions.output;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.server.rest.ServerExtension.HttpResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model repository extension: index, load and unload. */
class RepositoryIT {
    @RegisterExtension
    static final ServerExtension server =
            new ServerExtension().models(TestModels.fraud(1), TestModels.fraud(2), TestModels.simple("toggle"));

    private static final String TOGGLE_ROW = inferBody(input("input", "FP32", "[1, 2]", "[2, 3]"));

    @Test
    @Specification(number = "8.3", text = "index: an array of name, version, state, reason for every version")
    void indexListsEveryVersion() {
        JsonNode index = assertOk(server.post("/v2/repository/index", ""));

        assertThat(entries(index)).containsExactly("fraud 1 READY ''", "fraud 2 READY ''", "toggle 1 READY ''");
    }

    @Test
    @Specification(number = "8.3", text = "index accepts {} and {\"ready\": false} like an empty body")
    void indexAcceptsEmptyObject() {
        assertThat(entries(assertOk(server.post("/v2/repository/index", "{}")))).hasSize(3);
        assertThat(entries(assertOk(server.post("/v2/repository/index", "{\"ready\": false}"))))
                .hasSize(3);
    }

    @Test
    @Specification(number = "8.3", text = "index with a body that is not {\"ready\": bool} is 400")
    void indexRejectsBadBody() {
        assertError(server.post("/v2/repository/index", "[true]"), 400, "INVALID_INPUT");
        assertError(server.post("/v2/repository/index", "{\"ready\": \"yes\"}"), 400, "INVALID_INPUT");
        assertError(server.post("/v2/repository/index", "{\"ready\": tru"), 400, "INVALID_INPUT");
    }

    @Test
    @Specification(number = "8.3", text = "unload stops serving (503, UNAVAILABLE in the index); load serves again")
    void unloadThenLoadCyclesTheModel() {
        try {
            HttpResult unloaded = server.post("/v2/repository/models/toggle/unload", "");
            assertThat(unloaded.status()).as("%s", unloaded).isEqualTo(200);
            assertThat(unloaded.body()).isEmpty();

            assertThat(assertError(server.post("/v2/models/toggle/infer", TOGGLE_ROW), 503, "MODEL_NOT_READY"))
                    .contains("'toggle'");
            assertThat(assertError(
                            server.post("/v2/models/toggle/versions/1/infer", TOGGLE_ROW), 503, "MODEL_NOT_READY"))
                    .contains("UNAVAILABLE");
            assertError(server.get("/v2/models/toggle/ready"), 503, "MODEL_NOT_READY");
            assertError(server.get("/v2/models/toggle/versions/1/ready"), 503, "MODEL_NOT_READY");
            assertError(server.get("/v2/health/ready"), 503, "MODEL_NOT_READY");
            assertThat(entries(assertOk(server.post("/v2/repository/index", ""))))
                    .contains("toggle 1 UNAVAILABLE ''");
            assertThat(entries(assertOk(server.post("/v2/repository/index", "{\"ready\": true}"))))
                    .containsExactly("fraud 1 READY ''", "fraud 2 READY ''");
        } finally {
            HttpResult loaded = server.post("/v2/repository/models/toggle/load", "");
            assertThat(loaded.status()).as("%s", loaded).isEqualTo(200);
        }

        JsonNode inferred = assertOk(server.post("/v2/models/toggle/infer", TOGGLE_ROW));
        assertThat((float) output(inferred, "score").get("data").get(0).doubleValue())
                .isEqualTo(TestModels.simpleScore(2, 3));
        assertThat(entries(assertOk(server.post("/v2/repository/index", "{\"ready\": true}"))))
                .contains("toggle 1 READY ''");
        assertThat(assertOk(server.get("/v2/health/ready")).get("ready").asBoolean())
                .isTrue();
    }

    @Test
    @Specification(number = "8.3", text = "load reloads a model that is already loaded")
    void loadReloadsLoadedModel() {
        HttpResult loaded = server.post("/v2/repository/models/fraud/load", "");

        assertThat(loaded.status()).as("%s", loaded).isEqualTo(200);
        assertThat(entries(assertOk(server.post("/v2/repository/index", "{\"ready\": true}"))))
                .contains("fraud 1 READY ''", "fraud 2 READY ''");
        assertThat(assertOk(server.post("/v2/models/fraud/infer", TOGGLE_ROW))
                        .get("model_version")
                        .asText())
                .isEqualTo("2");
    }

    @Test
    @Specification(
            number = "8.3",
            text = "load parameters that supply a model's files or config are refused (501), others ignored")
    void loadRefusesSuppliedFilesAndConfiguration() {
        assertThat(assertError(
                        server.post(
                                "/v2/repository/models/fraud/load",
                                "{\"parameters\": {\"file:1/model.onnx\": \"AAAA\", \"config\": \"{}\"}}"),
                        501,
                        "UNSUPPORTED"))
                .startsWith("load parameter '")
                .contains("supplying a model's files or configuration with the load call is not supported");
        assertThat(server.post("/v2/repository/models/fraud/load", "{\"parameters\": {\"priority\": 1}}")
                        .status())
                .isEqualTo(200);
        assertError(server.post("/v2/repository/models/fraud/load", "[1]"), 400, "INVALID_INPUT");
    }

    @Test
    @Specification(number = "8.3", text = "load or unload of an unknown model is 404")
    void loadOrUnloadOfUnknownModelReturnsNotFound() {
        assertThat(assertError(server.post("/v2/repository/models/nope/load", ""), 404, "MODEL_NOT_FOUND"))
                .contains("'nope'");
        assertThat(assertError(server.post("/v2/repository/models/nope/unload", ""), 404, "MODEL_NOT_FOUND"))
                .contains("'nope'");
        assertError(server.post("/v2/repository/models/..%2F..%2Fetc/load", ""), 404, "MODEL_NOT_FOUND");
    }

    /** Index entries as {@code name version STATE 'reason'}, checking each has exactly the keys of §8.3. */
    private static List<String> entries(JsonNode index) {
        assertThat(index.isArray()).as("%s is an array", index).isTrue();
        List<String> entries = new ArrayList<>();
        for (JsonNode entry : index) {
            assertThat(RestAssertions.fieldNames(entry)).containsExactly("name", "version", "state", "reason");
            assertThat(entry.get("version").isTextual()).isTrue();
            entries.add(entry.get("name").asText() + " " + entry.get("version").asText() + " "
                    + entry.get("state").asText() + " '" + entry.get("reason").asText() + "'");
        }
        return entries;
    }
}
