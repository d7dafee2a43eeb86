package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static dev.slipway.server.rest.RestAssertions.assertOk;
import static dev.slipway.server.rest.RestAssertions.booleans;
import static dev.slipway.server.rest.RestAssertions.doubles;
import static dev.slipway.server.rest.RestAssertions.fieldNames;
import static dev.slipway.server.rest.RestAssertions.floats;
import static dev.slipway.server.rest.RestAssertions.inferBody;
import static dev.slipway.server.rest.RestAssertions.input;
import static dev.slipway.server.rest.RestAssertions.longs;
import static dev.slipway.server.rest.RestAssertions.output;
import static dev.slipway.server.rest.RestAssertions.outputNames;
import static dev.slipway.server.rest.TestModels.fraudProbability;
import static dev.slipway.server.rest.TestModels.shipmentRisk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.server.rest.ServerExtension.HttpResult;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Successful inference: version choice, tensor forms, datatypes, outputs, ids and concurrency. */
class InferIT {
    private static final float EPSILON = 1e-6f;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension()
            .models(TestModels.fraud(1), TestModels.fraud(2), TestModels.shipment(), TestModels.simple("my.model-1"));

    private static final String TWO_ROWS = inferBody(input("input", "FP32", "[2, 2]", "[1500, 30, 20, 400]"));

    @Test
    @Specification(number = "1", text = "no version: the highest READY version answers")
    @Specification(number = "3.4", text = "response: model_name, model_version, outputs")
    void inferWithoutVersionUsesHighestReadyVersion() {
        JsonNode body = assertOk(server.post("/v2/models/fraud/infer", TWO_ROWS));

        assertThat(body.get("model_name").asText()).isEqualTo("fraud");
        assertThat(body.get("model_version").asText()).isEqualTo("2");
        assertThat(floats(output(body, "fraud_probability").get("data")))
                .containsExactly(
                        new float[] {fraudProbability(2, 1500, 30), fraudProbability(2, 20, 400)}, within(EPSILON));
    }

    @Test
    @Specification(number = "2", text = "infer on /v2/models/{m}/versions/{v}/infer uses that version")
    void inferWithVersionUsesThatVersion() {
        JsonNode body = assertOk(server.post("/v2/models/fraud/versions/1/infer", TWO_ROWS));

        assertThat(body.get("model_version").asText()).isEqualTo("1");
        assertThat(floats(output(body, "fraud_probability").get("data")))
                .containsExactly(
                        new float[] {fraudProbability(1, 1500, 30), fraudProbability(1, 20, 400)}, within(EPSILON));
    }

    @Test
    @Specification(number = "3.4", text = "every output, flattened data, shape and datatype; no id when none sent")
    @Specification(number = "5", text = "output datatypes FP32, BOOL, INT64 and FP64")
    void responseHasEveryOutputWithShapeAndDatatype() {
        JsonNode body = assertOk(server.post("/v2/models/fraud/infer", TWO_ROWS));
        float p0 = fraudProbability(2, 1500, 30);
        float p1 = fraudProbability(2, 20, 400);

        assertThat(fieldNames(body)).containsExactly("model_name", "model_version", "outputs", "parameters");
        assertThat(body.get("parameters").get("slipway_variant").asText()).isEqualTo("primary");
        assertThat(body.get("parameters").get("slipway_routing_epoch").asLong()).isZero();
        assertThat(outputNames(body))
                .containsExactly("fraud_probability", "fraudulent", "label", "probabilities", "fraud_score64");
        assertThat(description(output(body, "fraud_probability"))).isEqualTo("FP32 [2]");
        assertThat(description(output(body, "fraudulent"))).isEqualTo("BOOL [2]");
        assertThat(description(output(body, "label"))).isEqualTo("INT64 [2]");
        assertThat(description(output(body, "probabilities"))).isEqualTo("FP32 [2,2]");
        assertThat(description(output(body, "fraud_score64"))).isEqualTo("FP64 [2]");
        assertThat(booleans(output(body, "fraudulent").get("data"))).containsExactly(p0 >= 0.5f, p1 >= 0.5f);
        assertThat(longs(output(body, "label").get("data")))
                .containsExactly(p0 >= 0.5f ? 1L : 0L, p1 >= 0.5f ? 1L : 0L);
        assertThat(floats(output(body, "probabilities").get("data")))
                .containsExactly(new float[] {1 - p0, p0, 1 - p1, p1}, within(EPSILON));
        assertThat(doubles(output(body, "fraud_score64").get("data")))
                .containsExactly(new double[] {p0, p1}, within((double) EPSILON));
    }

    @Test
    @Specification(number = "4", text = "nested data following the shape equals the flat list")
    void nestedDataEqualsFlatData() {
        String nested = inferBody(input("input", "FP32", "[2, 2]", "[[1500, 30], [20, 400]]"));

        JsonNode flatBody = assertOk(server.post("/v2/models/fraud/infer", TWO_ROWS));
        JsonNode nestedBody = assertOk(server.post("/v2/models/fraud/infer", nested));

        assertThat(nestedBody).isEqualTo(flatBody);
        assertThat(floats(output(nestedBody, "fraud_probability").get("data")))
                .containsExactly(
                        new float[] {fraudProbability(2, 1500, 30), fraudProbability(2, 20, 400)}, within(EPSILON));
    }

    @Test
    @Specification(number = "3.3", text = "id: if given it must be returned in the response")
    void idIsEchoed() {
        String body = "{\"id\": \"req-42\", \"inputs\": [" + input("input", "FP32", "[1, 2]", "[1500, 30]") + "]}";

        JsonNode response = assertOk(server.post("/v2/models/fraud/infer", body));

        assertThat(response.get("id").asText()).isEqualTo("req-42");
    }

    @Test
    @Specification(number = "3.4", text = "id is written only when the request had one")
    void idIsAbsentWhenNotSent() {
        JsonNode response = assertOk(server.post("/v2/models/fraud/infer", TWO_ROWS));

        assertThat(response.has("id")).isFalse();
    }

    @Test
    @Specification(number = "3.3", text = "requested outputs filter the response, in the requested order")
    void requestedOutputsAreFilteredAndOrdered() {
        String body = "{\"inputs\": [" + input("input", "FP32", "[1, 2]", "[1500, 30]") + "],"
                + " \"outputs\": [{\"name\": \"label\"}, {\"name\": \"fraud_probability\"}]}";

        JsonNode response = assertOk(server.post("/v2/models/fraud/infer", body));

        assertThat(outputNames(response)).containsExactly("label", "fraud_probability");
        float p = fraudProbability(2, 1500, 30);
        assertThat(longs(output(response, "label").get("data"))).containsExactly(p >= 0.5f ? 1L : 0L);
        assertThat(floats(output(response, "fraud_probability").get("data")))
                .containsExactly(new float[] {p}, within(EPSILON));
    }

    @Test
    @Specification(number = "3.3", text = "a decision output can be requested on its own")
    void decisionCanBeRequestedAlone() {
        String body = "{\"inputs\": [" + input("input", "FP32", "[2, 2]", "[1500, 30, 20, 400]") + "],"
                + " \"outputs\": [{\"name\": \"fraudulent\"}]}";

        JsonNode response = assertOk(server.post("/v2/models/fraud/infer", body));

        assertThat(outputNames(response)).containsExactly("fraudulent");
        assertThat(booleans(output(response, "fraudulent").get("data")))
                .containsExactly(fraudProbability(2, 1500, 30) >= 0.5f, fraudProbability(2, 20, 400) >= 0.5f);
    }

    @Test
    @Specification(number = "3.5", text = "unknown parameters are accepted and ignored at every level")
    void unknownParametersAreIgnored() {
        String body = "{\"parameters\": {\"priority\": 1, \"custom\": \"x\", \"nested\": {\"a\": [1]}},"
                + " \"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, 2],"
                + " \"parameters\": {\"flag\": true}, \"data\": [1500, 30]}],"
                + " \"outputs\": [{\"name\": \"fraud_probability\", \"parameters\": {\"binary_data\": false}}],"
                + " \"extra\": {\"ignored\": true}}";

        JsonNode response = assertOk(server.post("/v2/models/fraud/infer", body));

        assertThat(floats(output(response, "fraud_probability").get("data")))
                .containsExactly(new float[] {fraudProbability(2, 1500, 30)}, within(EPSILON));
    }

    @Test
    @Specification(number = "5", text = "per-feature inputs accept FP32, FP64, INT32, INT64, BOOL and BYTES")
    void featureTensorsOfEveryDatatypeAreAccepted() {
        String body = inferBody(
                input("speed_kmh", "FP32", "[2]", "[80.5, 10]"),
                input("stops", "INT64", "[2, 1]", "[[2], [0]]"),
                input("refrigerated", "BOOL", "[2]", "[true, false]"),
                input("road_type", "BYTES", "[2]", "[\"urban\", \"rural\"]"),
                input("distance_km", "FP64", "[2]", "[120.25, 3000]"),
                input("delay_min", "INT32", "[2]", "[10, 0]"));

        JsonNode response = assertOk(server.post("/v2/models/shipment-risk/infer", body));

        float r0 = shipmentRisk(80.5, 2, 1, 1, 120.25, 10);
        float r1 = shipmentRisk(10, 0, 0, 2, 3000, 0);
        assertThat(floats(output(response, "risk").get("data"))).containsExactly(new float[] {r0, r1}, within(EPSILON));
        assertThat(booleans(output(response, "risky").get("data"))).containsExactly(r0 >= 0.5f, r1 >= 0.5f);
    }

    @Test
    @Specification(number = "5", text = "per-feature inputs: INT32 counts, INT64 category codes, FP64 flags")
    void featureTensorsAcceptNumbersForEveryFeatureKind() {
        String body = inferBody(
                input("speed_kmh", "FP64", "[1]", "[33.5]"),
                input("stops", "INT32", "[1]", "[4]"),
                input("refrigerated", "FP32", "[1]", "[1]"),
                input("road_type", "INT64", "[1]", "[2]"),
                input("distance_km", "FP32", "[1]", "[15]"),
                input("delay_min", "FP64", "[1]", "[12.5]"));

        JsonNode response = assertOk(server.post("/v2/models/shipment-risk/infer", body));

        assertThat(floats(output(response, "risk").get("data")))
                .containsExactly(new float[] {shipmentRisk(33.5, 4, 1, 2, 15, 12.5)}, within(EPSILON));
    }

    @Test
    @Specification(number = "4", text = "missing optional features: the default, or a missing value")
    void missingOptionalFeaturesUseTheirDefault() {
        String body = inferBody(
                input("speed_kmh", "FP32", "[1]", "[100]"),
                input("stops", "INT32", "[1]", "[3]"),
                input("refrigerated", "BOOL", "[1]", "[true]"),
                input("road_type", "BYTES", "[1]", "[\"highway\"]"));

        JsonNode response = assertOk(server.post("/v2/models/shipment-risk/infer", body));

        assertThat(floats(output(response, "risk").get("data")))
                .containsExactly(
                        new float[] {shipmentRisk(100, 3, 1, 0, TestModels.SHIPMENT_DISTANCE_DEFAULT, Double.NaN)},
                        within(EPSILON));
    }

    @Test
    @Specification(number = "4", text = "null in the model tensor: the feature's default, or a missing value")
    void nullInModelTensorUsesDefault() {
        String body = inferBody(input("input", "FP32", "[1, 6]", "[60, 1, 0, 2, null, null]"));

        JsonNode response = assertOk(server.post("/v2/models/shipment-risk/infer", body));

        assertThat(floats(output(response, "risk").get("data")))
                .containsExactly(
                        new float[] {shipmentRisk(60, 1, 0, 2, TestModels.SHIPMENT_DISTANCE_DEFAULT, Double.NaN)},
                        within(EPSILON));
    }

    @Test
    @Specification(number = "1", text = "model names in paths are percent-decoded")
    void percentEncodedModelNameIsDecoded() {
        String body = inferBody(input("input", "FP32", "[1, 2]", "[2, 5]"));

        JsonNode inferred = assertOk(server.post("/v2/models/my%2Emodel-1/infer", body));
        JsonNode metadata = assertOk(server.get("/v2/models/my%2Emodel%2D1"));
        JsonNode ready = assertOk(server.get("/v2/models/my%2emodel-1/versions/1/ready"));

        assertThat(inferred.get("model_name").asText()).isEqualTo("my.model-1");
        assertThat(floats(output(inferred, "score").get("data")))
                .containsExactly(new float[] {TestModels.simpleScore(2, 5)}, within(EPSILON));
        assertThat(metadata.get("name").asText()).isEqualTo("my.model-1");
        assertThat(ready.get("ready").asBoolean()).isTrue();
    }

    @Test
    @Specification(number = "1", text = "infer does not require a Content-Type header")
    void inferNeedsNoContentType() {
        HttpRequest request = server.request("/v2/models/fraud/infer")
                .POST(HttpRequest.BodyPublishers.ofString(TWO_ROWS))
                .build();
        assertThat(request.headers().firstValue("content-type")).isEmpty();

        JsonNode body = assertOk(ServerExtension.send(server.client(), request));

        assertThat(floats(output(body, "fraud_probability").get("data")))
                .containsExactly(
                        new float[] {fraudProbability(2, 1500, 30), fraudProbability(2, 20, 400)}, within(EPSILON));
    }

    @Test
    @Specification(number = "6.2", text = "50 concurrent requests all succeed with their own answers")
    void concurrentRequestsAllSucceed() throws Exception {
        int requests = 50;
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String body = String.format(
                    Locale.ROOT,
                    "{\"id\": \"c%d\", \"inputs\": [%s]}",
                    i,
                    input("input", "FP32", "[1, 2]", "[" + (100 * i) + ", " + (7 * i) + "]"));
            HttpRequest request = server.request("/v2/models/fraud/infer")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            futures.add(server.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);

        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = futures.get(i).join();
            JsonNode body = assertOk(new HttpResult(response.statusCode(), response.headers(), response.body()));
            assertThat(body.get("id").asText()).isEqualTo("c" + i);
            assertThat(floats(output(body, "fraud_probability").get("data")))
                    .as("request %d", i)
                    .containsExactly(new float[] {fraudProbability(2, 100 * i, 7 * i)}, within(EPSILON));
        }
    }

    @Test
    @Specification(number = "6.2", text = "a request for an unknown output is a client error")
    void unknownRequestedOutputIsRejected() {
        String body = "{\"inputs\": [" + input("input", "FP32", "[1, 2]", "[1500, 30]") + "],"
                + " \"outputs\": [{\"name\": \"fraud_probability\"}, {\"name\": \"nope\"}]}";

        String message = assertError(server.post("/v2/models/fraud/infer", body), 400, "INVALID_INPUT");

        assertThat(message).contains("output 'nope'").contains("unknown output");
    }

    @Test
    @Specification(
            number = "8.2",
            text = "classification: the output becomes BYTES [rows, N] of \"value:index[:label]\", highest first")
    void classificationAnswersTheTopEntriesPerRow() {
        String body = "{\"inputs\": [" + input("input", "FP32", "[2, 2]", "[1500, 30, 20, 400]") + "],"
                + " \"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"classification\": 2}},"
                + " {\"name\": \"fraud_probability\", \"parameters\": {\"classification\": 5}}]}";

        JsonNode response = assertOk(server.post("/v2/models/fraud/infer", body));

        float first = fraudProbability(2, 1500, 30);
        float second = fraudProbability(2, 20, 400);
        JsonNode classes = output(response, "probabilities");
        assertThat(description(classes)).isEqualTo("BYTES [2,2]");
        assertThat(texts(classes.get("data")))
                .containsExactly(
                        entry(Math.max(first, 1 - first), first >= 0.5f ? "1:fraud" : "0:legit"),
                        entry(Math.min(first, 1 - first), first >= 0.5f ? "0:legit" : "1:fraud"),
                        entry(Math.max(second, 1 - second), second >= 0.5f ? "1:fraud" : "0:legit"),
                        entry(Math.min(second, 1 - second), second >= 0.5f ? "0:legit" : "1:fraud"));
        JsonNode single = output(response, "fraud_probability");
        assertThat(description(single)).isEqualTo("BYTES [2,1]");
        assertThat(texts(single.get("data"))).containsExactly(entry(first, "0"), entry(second, "0"));
    }

    @Test
    @Specification(number = "8.2", text = "a classification that is not a positive integer is a client error")
    void classificationMustBeAPositiveInteger() {
        for (String bad : List.of("0", "-1", "1.5", "\"two\"")) {
            String body = "{\"inputs\": [" + input("input", "FP32", "[1, 2]", "[1500, 30]") + "],"
                    + " \"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"classification\": " + bad
                    + "}}]}";

            String message = assertError(server.post("/v2/models/fraud/infer", body), 400, "INVALID_INPUT");

            assertThat(message)
                    .startsWith("outputs[0].parameters.classification: " + bad + " (expected: an integer in 1..");
        }
    }

    private static String entry(float value, String rest) {
        return String.format(Locale.ROOT, "%f", value) + ":" + rest;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String description(JsonNode output) {
        assertThat(fieldNames(output)).containsExactly("name", "datatype", "shape", "data");
        return output.get("datatype").asText() + " " + output.get("shape");
    }
}
