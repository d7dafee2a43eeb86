package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static dev.slipway.server.rest.RestAssertions.inferBody;
import static dev.slipway.server.rest.RestAssertions.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.server.rest.ServerExtension.HttpResult;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way an inference request fails: 400, 413, 500 and 501, each with the protocol's error body. */
class InferErrorsIT {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension()
            .models(TestModels.fraud(1), TestModels.shipment(), TestModels.flaky())
            .limits(64 * 1024, 100, 10_000);

    private static final String FRAUD = "/v2/models/fraud/infer";
    private static final String SHIPMENT = "/v2/models/shipment-risk/infer";

    static Stream<Arguments> malformedRequests() {
        String good = input("input", "FP32", "[1, 2]", "[1500, 30]");
        return Stream.of(
                Arguments.of("body not JSON", "this is not json", "not valid JSON"),
                Arguments.of("empty body", "", "body: empty"),
                Arguments.of("body truncated", "{\"inputs\": [" + good, "body"),
                Arguments.of("body an array", "[" + good + "]", "expected: a JSON object"),
                Arguments.of("body a string", "\"inputs\"", "expected: a JSON object"),
                Arguments.of("two JSON objects", inferBody(good) + " {}", "content after the JSON object"),
                Arguments.of("inputs missing", "{\"id\": \"x\"}", "inputs: missing"),
                Arguments.of("inputs empty", "{\"inputs\": []}", "inputs: empty"),
                Arguments.of("inputs not an array", "{\"inputs\": {}}", "inputs: an object"),
                Arguments.of("input not an object", "{\"inputs\": [1]}", "inputs[0]"),
                Arguments.of("id a number", "{\"id\": 5, \"inputs\": [" + good + "]}", "id: 5 (expected: a string)"),
                Arguments.of("id an object", "{\"id\": {}, \"inputs\": [" + good + "]}", "id: an object"),
                Arguments.of(
                        "input without data",
                        "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, 2]}]}",
                        "data: missing"),
                Arguments.of(
                        "input without name",
                        "{\"inputs\": [{\"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 2]}]}",
                        "name: missing"),
                Arguments.of(
                        "input without datatype",
                        "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"data\": [1, 2]}]}",
                        "datatype: missing"),
                Arguments.of(
                        "input without shape",
                        "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"data\": [1, 2]}]}",
                        "shape: missing"),
                Arguments.of("unknown datatype", inferBody(input("input", "FLOAT32", "[1, 2]", "[1, 2]")), "'FLOAT32'"),
                Arguments.of("lower-case datatype", inferBody(input("input", "fp32", "[1, 2]", "[1, 2]")), "'fp32'"),
                Arguments.of("FP16 in JSON", inferBody(input("input", "FP16", "[1, 2]", "[1, 2]")), "FP16"),
                Arguments.of("BF16 in JSON", inferBody(input("input", "BF16", "[1, 2]", "[1, 2]")), "BF16"),
                Arguments.of(
                        "datatype differs from the model's",
                        inferBody(input("input", "FP64", "[1, 2]", "[1500, 30]")),
                        "input 'input': datatype FP64 (expected: FP32)"),
                Arguments.of(
                        "fixed dimension differs",
                        inferBody(input("input", "FP32", "[1, 3]", "[1, 2, 3]")),
                        "input 'input': shape [1, 3] (expected: [rows, 2])"),
                Arguments.of(
                        "rank differs",
                        inferBody(input("input", "FP32", "[2]", "[1, 2]")),
                        "input 'input': shape [2] (expected: [rows, 2])"),
                Arguments.of(
                        "fewer elements than the shape",
                        inferBody(input("input", "FP32", "[2, 2]", "[1, 2, 3]")),
                        "3 elements (expected: 4"),
                Arguments.of(
                        "more elements than the shape",
                        inferBody(input("input", "FP32", "[1, 2]", "[1, 2, 3]")),
                        "more than 2 elements"),
                Arguments.of(
                        "data before shape, wrong count",
                        "{\"inputs\": [{\"data\": [1, 2, 3], \"name\": \"input\", \"datatype\": \"FP32\","
                                + " \"shape\": [1, 2]}]}",
                        "more than 2 elements"),
                Arguments.of(
                        "nested data disagreeing with the shape",
                        inferBody(input("input", "FP32", "[2, 2]", "[[1, 2], [3]]")),
                        "3 elements (expected: 4"),
                Arguments.of(
                        "negative dimension",
                        inferBody(input("input", "FP32", "[-1, 2]", "[1, 2]")),
                        "shape[0]: -1 (expected: a non-negative integer)"),
                Arguments.of(
                        "fractional dimension",
                        inferBody(input("input", "FP32", "[1.5, 2]", "[1, 2]")),
                        "shape[0]: 1.5"),
                Arguments.of("zero rows", inferBody(input("input", "FP32", "[0, 2]", "[]")), "rows: 0"),
                Arguments.of(
                        "string in FP32 data",
                        inferBody(input("input", "FP32", "[1, 2]", "[\"1500\", 30]")),
                        "data[0]: \"1500\""),
                Arguments.of(
                        "boolean in FP32 data",
                        inferBody(input("input", "FP32", "[1, 2]", "[true, 30]")),
                        "data[0]: true"),
                Arguments.of(
                        "object in data",
                        inferBody(input("input", "FP32", "[1, 2]", "[{}, 30]")),
                        "data[0]: an object"),
                Arguments.of(
                        "unknown input name",
                        inferBody(input("features", "FP32", "[1, 2]", "[1, 2]")),
                        "input 'features': unknown input"),
                Arguments.of(
                        "same input twice",
                        inferBody(
                                input("input", "FP32", "[1, 2]", "[1, 2]"), input("input", "FP32", "[1, 2]", "[1, 2]")),
                        "input 'input': given twice"),
                Arguments.of(
                        "unknown requested output",
                        "{\"inputs\": [" + good + "], \"outputs\": [{\"name\": \"nope\"}]}",
                        "output 'nope': unknown output"),
                Arguments.of(
                        "requested output without name",
                        "{\"inputs\": [" + good + "], \"outputs\": [{}]}",
                        "outputs[0].name: missing"),
                Arguments.of("outputs not an array", "{\"inputs\": [" + good + "], \"outputs\": \"label\"}", "outputs"),
                Arguments.of(
                        "value out of the contract's range",
                        inferBody(input("input", "FP32", "[1, 2]", "[-5, 30]")),
                        "amount: -5.0 (expected: 0..10000)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    @Specification(number = "6.2", text = "every client mistake in an inference request is 400 with an error object")
    void malformedRequestIsRejected(String situation, String body, String expectedInMessage) {
        String message = assertError(server.post(FRAUD, body), 400, "INVALID_INPUT");

        assertThat(message).as(situation).contains(expectedInMessage);
    }

    @Test
    @Specification(number = "6.2", text = "contract violations: every violation listed at once")
    void everyContractViolationIsListedAtOnce() {
        String body = inferBody(input("input", "FP32", "[1, 6]", "[-5, 2.5, 2, 7, 30000, 10]"));

        String message = assertError(server.post(SHIPMENT, body), 400, "INVALID_INPUT");

        assertThat(message)
                .contains("speed_kmh: -5.0 (expected: 0..160)")
                .contains("stops: 2.5 (expected: an integer in 0..20)")
                .contains("refrigerated: 2.0 (expected: true, false, 1 or 0)")
                .contains("road_type: 7.0 (expected: a category code: 0 (highway), 1 (urban), 2 (rural))")
                .contains("distance_km: 30000.0 (expected: 0..20000)")
                .doesNotContain("delay_min")
                .doesNotContain("row ");
    }

    @Test
    @Specification(number = "6.2", text = "contract violations in several rows are prefixed with their row")
    void violationsInSeveralRowsNameTheirRow() {
        String body = inferBody(
                input("input", "FP32", "[3, 6]", "[10, 1, 0, 0, 5, 5, 10, 1, 0, 0, 5, 5, 10, 1, 0, 9, 5, null]"));

        String message = assertError(server.post(SHIPMENT, body), 400, "INVALID_INPUT");

        assertThat(message)
                .isEqualTo("row 2: road_type: 9.0 (expected: a category code: 0 (highway), 1 (urban), 2 (rural))");
    }

    @Test
    @Specification(number = "6.2", text = "per-feature tensors: a missing required feature and bad values, all listed")
    void featureTensorViolationsAreListedAtOnce() {
        String body = inferBody(
                input("speed_kmh", "FP32", "[2]", "[200, 50]"),
                input("refrigerated", "BOOL", "[2]", "[true, false]"),
                input("road_type", "BYTES", "[2]", "[\"urban\", \"offroad\"]"));

        String message = assertError(server.post(SHIPMENT, body), 400, "INVALID_INPUT");

        assertThat(message)
                .contains("row 0: speed_kmh: 200.0 (expected: 0..160)")
                .contains("row 0: stops: missing (expected: an integer in 0..20)")
                .contains("row 1: stops: missing (expected: an integer in 0..20)")
                .contains("row 1: road_type: \"offroad\" (expected: one of highway, urban, rural)");
    }

    @Test
    @Specification(number = "6.2", text = "per-feature tensor of the wrong datatype for its feature is 400")
    void featureTensorOfWrongKindIsRejected() {
        String body = inferBody(
                input("speed_kmh", "BYTES", "[1]", "[\"fast\"]"),
                input("stops", "BOOL", "[1]", "[true]"),
                input("refrigerated", "BOOL", "[1]", "[true]"),
                input("road_type", "BYTES", "[1]", "[\"urban\"]"));

        String message = assertError(server.post(SHIPMENT, body), 400, "INVALID_INPUT");

        assertThat(message)
                .contains("speed_kmh: \"fast\" (expected: 0..160)")
                .contains("stops: true (expected: an integer in 0..20)");
    }

    @Test
    @Specification(number = "6.2", text = "model tensors and feature tensors mixed in one request is 400")
    void mixingModelAndFeatureTensorsIsRejected() {
        String body = inferBody(
                input("input", "FP32", "[1, 6]", "[10, 1, 0, 0, 5, 5]"), input("speed_kmh", "FP32", "[1]", "[10]"));

        String message = assertError(server.post(SHIPMENT, body), 400, "INVALID_INPUT");

        assertThat(message).contains("mixed");
    }

    @Test
    @Specification(number = "8.1", text = "a binary input needs a valid Inference-Header-Content-Length: 400")
    void binaryDataSizeWithoutTheHeaderIsRejected() {
        String body = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, 2],"
                + " \"parameters\": {\"binary_data_size\": 8}}]}";

        String message = assertError(server.post(FRAUD, body), 400, "INVALID_INPUT");

        assertThat(message).contains("binary_data_size").contains("Inference-Header-Content-Length");
    }

    @Test
    @Specification(number = "6.2", text = "a body above max-body-bytes is 413 with the error object")
    void bodyAboveMaxBodyBytesIsRejected() {
        String padding = String.join("", Collections.nCopies((int) server.maxBodyBytes(), " "));
        String body = "{\"inputs\": [" + input("input", "FP32", "[1, 2]", "[1500, 30]") + "]" + padding + "}";

        HttpResult response = server.post(FRAUD, body);

        assertThat(assertError(response, 413, "PAYLOAD_TOO_LARGE")).contains(Long.toString(server.maxBodyBytes()));
    }

    @Test
    @Specification(
            number = "6.2",
            text = "a body far above max-body-bytes is 413 every time, and the client carries on")
    void hugeBodyIsRejectedEveryTime() {
        String padding = " ".repeat(4 << 20);
        String body = "{\"inputs\": [" + input("input", "FP32", "[1, 2]", "[1500, 30]") + "]" + padding + "}";

        for (int attempt = 0; attempt < 20; attempt++) {
            assertError(server.post(FRAUD, body), 413, "PAYLOAD_TOO_LARGE");
            HttpResult next = server.post(FRAUD, inferBody(input("input", "FP32", "[1, 2]", "[1500, 30]")));
            assertThat(next.status()).as("attempt %d: %s", attempt, next).isEqualTo(200);
        }
    }

    @Test
    @Specification(number = "6.2", text = "more rows than max-rows is 413")
    void rowsAboveMaxRowsAreRejected() {
        int rows = server.maxRows() + 1;
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            data.append(i == 0 ? "" : ", ").append("1, 2");
        }
        String body = inferBody(input("input", "FP32", "[" + rows + ", 2]", "[" + data + "]"));

        String message = assertError(server.post(FRAUD, body), 413, "PAYLOAD_TOO_LARGE");

        assertThat(message).contains("rows: " + rows).contains("at most " + server.maxRows());
    }

    @Test
    @Specification(number = "6.2", text = "max-rows admits exactly max-rows")
    void exactlyMaxRowsAreAccepted() {
        int rows = server.maxRows();
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            data.append(i == 0 ? "" : ", ").append(i).append(", 2");
        }
        String body = inferBody(input("input", "FP32", "[" + rows + ", 2]", "[" + data + "]"));

        HttpResult response = server.post(FRAUD, body);

        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(RestAssertions.output(response.json(), "label").get("shape").toString())
                .isEqualTo("[" + rows + "]");
    }

    @Test
    @Specification(number = "6.2", text = "a shape above max-tensor-elements is 413 before any allocation")
    void shapeAboveMaxTensorElementsIsRejectedBeforeReadingData() {
        String body = inferBody(input("input", "FP32", "[1000000000, 10]", "[1, 2]"));

        String message = assertError(server.post(FRAUD, body), 413, "PAYLOAD_TOO_LARGE");

        assertThat(message).contains("[1000000000, 10]").contains("at most " + server.maxTensorElements());
    }

    @Test
    @Specification(number = "6.2", text = "a shape above max-tensor-elements is 413 when data comes first")
    void shapeAboveMaxTensorElementsIsRejectedWhenDataComesFirst() {
        String body = "{\"inputs\": [{\"name\": \"input\", \"data\": [1, 2], \"datatype\": \"FP32\","
                + " \"shape\": [4611686018427387904, 4]}]}";

        String message = assertError(server.post(FRAUD, body), 413, "PAYLOAD_TOO_LARGE");

        assertThat(message).contains("at most " + server.maxTensorElements());
    }

    @Test
    @Specification(number = "6.2", text = "more data elements than max-tensor-elements is 413 or 400, never a crash")
    void dataAboveMaxTensorElementsIsRejected() {
        int count = (int) server.maxTensorElements() + 2;
        String data = String.join(",", Collections.nCopies(count, "1"));
        String body = "{\"inputs\": [{\"name\": \"input\", \"data\": [" + data + "], \"datatype\": \"FP32\","
                + " \"shape\": [1, 2]}]}";

        HttpResult response = server.post(FRAUD, body);

        assertThat(response.status()).as("%s", response).isIn(400, 413);
        assertThat(response.json().get("error").asText()).contains("more than " + server.maxTensorElements());
    }

    @Test
    @Specification(number = "6.2", text = "engine failure: 500 with a message and no stack trace")
    void engineFailureReturnsInternalServerError() {
        String body = inferBody(input("input", "FP32", "[2, 2]", "[1, 2, 500, 2]"));

        HttpResult response = server.post("/v2/models/flaky/infer", body);

        String message = assertError(response, 500, "ENGINE_FAILURE");
        assertThat(message).isEqualTo("fake engine failure on row 1");
        assertThat(response.body()).doesNotContain("\tat ", "Exception", ".java", "dev.slipway");
    }

    @Test
    @Specification(number = "6.2", text = "the same model answers again after an engine failure")
    void modelServesAgainAfterEngineFailure() {
        assertError(
                server.post("/v2/models/flaky/infer", inferBody(input("input", "FP32", "[1, 2]", "[101, 0]"))),
                500,
                "ENGINE_FAILURE");

        HttpResult response =
                server.post("/v2/models/flaky/infer", inferBody(input("input", "FP32", "[1, 2]", "[3, 4]")));

        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat((float) RestAssertions.output(response.json(), "score")
                        .get("data")
                        .get(0)
                        .doubleValue())
                .isEqualTo(TestModel.probability(TestModels.FLAKY_WEIGHTS, 0f, 3, 4));
    }
}
