package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static dev.slipway.server.rest.RestAssertions.assertOk;
import static dev.slipway.server.rest.RestAssertions.fieldNames;
import static dev.slipway.server.rest.TestModels.fraudProbability;
import static dev.slipway.server.rest.TestModels.shipmentRisk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The KServe V1 records endpoints: {@code POST /v1/models/{m}:predict} and {@code GET /v1/models/{m}}. */
class RecordsIT {
    private static final float EPSILON = 1e-6f;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension()
            .models(TestModels.fraud(1), TestModels.fraud(2), TestModels.shipment())
            .limits(64 * 1024, 3, 10_000);

    @Test
    @Specification(number = "KServe V1", text = "predict: one prediction per instance, named outputs, model_version")
    void predictReturnsNamedOutputsPerInstance() {
        String body = "{\"instances\": [{\"amount\": 1500, \"account_age_days\": 30},"
                + " {\"account_age_days\": 400.0, \"amount\": 20.5}]}";

        JsonNode response = assertOk(server.post("/v1/models/fraud:predict", body));

        assertThat(response.get("model_name").asText()).isEqualTo("fraud");
        assertThat(response.get("model_version").asText()).isEqualTo("2");
        JsonNode predictions = response.get("predictions");
        assertThat(predictions.size()).isEqualTo(2);
        float p0 = fraudProbability(2, 1500, 30);
        float p1 = fraudProbability(2, 20.5, 400);
        JsonNode first = predictions.get(0);
        assertThat(fieldNames(first))
                .containsExactly("fraud_probability", "fraudulent", "label", "probabilities", "fraud_score64");
        assertThat((float) first.get("fraud_probability").doubleValue()).isCloseTo(p0, within(EPSILON));
        assertThat(first.get("fraudulent").booleanValue()).isEqualTo(p0 >= 0.5f);
        assertThat(first.get("label").longValue()).isEqualTo(p0 >= 0.5f ? 1 : 0);
        assertThat((float) first.get("probabilities").get(0).doubleValue()).isCloseTo(1 - p0, within(EPSILON));
        assertThat((float) first.get("probabilities").get(1).doubleValue()).isCloseTo(p0, within(EPSILON));
        assertThat(first.get("fraud_score64").doubleValue()).isCloseTo(p0, within((double) EPSILON));
        assertThat((float) predictions.get(1).get("fraud_probability").doubleValue())
                .isCloseTo(p1, within(EPSILON));
        assertThat(predictions.get(1).get("fraudulent").booleanValue()).isEqualTo(p1 >= 0.5f);
    }

    @Test
    @Specification(number = "KServe V1", text = "predict on /v1/models/{m}/versions/{v}:predict uses that version")
    void predictWithVersionUsesThatVersion() {
        String body = "{\"instances\": [{\"amount\": 1500, \"account_age_days\": 30}]}";

        JsonNode response = assertOk(server.post("/v1/models/fraud/versions/1:predict", body));

        assertThat(response.get("model_version").asText()).isEqualTo("1");
        assertThat((float) response.get("predictions")
                        .get(0)
                        .get("fraud_probability")
                        .doubleValue())
                .isCloseTo(fraudProbability(1, 1500, 30), within(EPSILON));
    }

    @Test
    @Specification(
            number = "KServe V1",
            text = "records carry category names, booleans, nulls and omitted optional features")
    void predictEncodesEveryFeatureKind() {
        String body = "{\"instances\": [{\"speed_kmh\": 80, \"stops\": 2, \"refrigerated\": true,"
                + " \"road_type\": \"rural\", \"distance_km\": null, \"delay_min\": 4.5},"
                + " {\"speed_kmh\": 12.5, \"stops\": 0, \"refrigerated\": false, \"road_type\": \"highway\"}]}";

        JsonNode response = assertOk(server.post("/v1/models/shipment-risk:predict", body));

        JsonNode predictions = response.get("predictions");
        assertThat((float) predictions.get(0).get("risk").doubleValue())
                .isCloseTo(shipmentRisk(80, 2, 1, 2, TestModels.SHIPMENT_DISTANCE_DEFAULT, 4.5), within(EPSILON));
        assertThat((float) predictions.get(1).get("risk").doubleValue())
                .isCloseTo(
                        shipmentRisk(12.5, 0, 0, 0, TestModels.SHIPMENT_DISTANCE_DEFAULT, Double.NaN), within(EPSILON));
    }

    @Test
    @Specification(number = "KServe V1", text = "violations in several records are each prefixed with their row")
    void violationsNameTheirRow() {
        String body = "{\"instances\": [{\"speed_kmh\": 80, \"stops\": 2, \"refrigerated\": true,"
                + " \"road_type\": \"rural\"},"
                + " {\"speed_kmh\": -5.0, \"stops\": 2, \"refrigerated\": \"yes\", \"road_type\": \"lane\","
                + " \"colour\": \"red\"}]}";

        String message = assertError(server.post("/v1/models/shipment-risk:predict", body), 400, "INVALID_INPUT");

        assertThat(message)
                .contains("row 1: speed_kmh: -5.0 (expected: 0..160)")
                .contains("row 1: refrigerated: \"yes\" (expected: true, false, 1 or 0)")
                .contains("row 1: road_type: \"lane\" (expected: one of highway, urban, rural)")
                .contains("row 1: colour: unknown feature")
                .doesNotContain("row 0");
    }

    @Test
    @Specification(
            number = "KServe V1",
            text = "an instance may be an array of values in the contract's feature order; \"inputs\" names them too")
    void arrayInstancesAreReadInTheContractsFeatureOrder() {
        String named = "{\"speed_kmh\": 80, \"stops\": 2, \"refrigerated\": true, \"road_type\": \"rural\","
                + " \"distance_km\": null, \"delay_min\": 4.5}";
        String positional = "[80, 2, true, \"rural\", null, 4.5]";

        JsonNode byName = assertOk(server.post("/v1/models/shipment-risk:predict", "{\"instances\": [" + named + "]}"));
        JsonNode byPosition = assertOk(server.post(
                "/v1/models/shipment-risk:predict", "{\"instances\": [" + positional + ", " + named + "]}"));
        JsonNode asInputs =
                assertOk(server.post("/v1/models/shipment-risk:predict", "{\"inputs\": [" + positional + "]}"));

        float expected = shipmentRisk(80, 2, 1, 2, TestModels.SHIPMENT_DISTANCE_DEFAULT, 4.5);
        for (JsonNode response : new JsonNode[] {byName, byPosition, asInputs}) {
            assertThat((float) response.get("predictions").get(0).get("risk").doubleValue())
                    .isCloseTo(expected, within(EPSILON));
        }
        assertThat(byPosition.get("predictions").get(1))
                .isEqualTo(byName.get("predictions").get(0));
    }

    @Test
    @Specification(number = "KServe V1", text = "an array instance of the wrong length is 400 naming the order")
    void arrayInstancesOfTheWrongLengthAreRejected() {
        String message = assertError(
                server.post("/v1/models/shipment-risk:predict", "{\"instances\": [[80, 2, true, \"rural\", null]]}"),
                400,
                "INVALID_INPUT");

        assertThat(message)
                .isEqualTo("instances[0]: 5 values (expected: 6, in the contract's feature order: speed_kmh, stops,"
                        + " refrigerated, road_type, distance_km, delay_min)");
        assertThat(assertError(
                        server.post(
                                "/v1/models/shipment-risk:predict",
                                "{\"instances\": [[-5, 2, true, \"rural\", null, 1]]}"),
                        400,
                        "INVALID_INPUT"))
                .isEqualTo("speed_kmh: -5 (expected: 0..160)");
    }

    @Test
    @Specification(number = "KServe V1", text = "a single record's violations carry no row prefix")
    void singleRecordViolationHasNoRowPrefix() {
        String body = "{\"instances\": [{\"amount\": 20000, \"account_age_days\": 30}]}";

        String message = assertError(server.post("/v1/models/fraud:predict", body), 400, "INVALID_INPUT");

        assertThat(message).isEqualTo("amount: 20000 (expected: 0..10000)");
    }

    @Test
    @Specification(number = "KServe V1", text = "a body without instances is 400")
    void bodyWithoutInstancesIsRejected() {
        assertThat(assertError(server.post("/v1/models/fraud:predict", "{\"rows\": []}"), 400, "INVALID_INPUT"))
                .contains("instances: missing");
        assertThat(assertError(server.post("/v1/models/fraud:predict", "[]"), 400, "INVALID_INPUT"))
                .contains("expected: a JSON object");
        assertThat(assertError(server.post("/v1/models/fraud:predict", "{\"instances\": [1]}"), 400, "INVALID_INPUT"))
                .contains("instances[0]");
        assertThat(assertError(server.post("/v1/models/fraud:predict", "{\"instances\": []}"), 400, "INVALID_INPUT"))
                .contains("instances: empty");
    }

    @Test
    @Specification(number = "KServe V1", text = "more records than max-rows is 413")
    void recordsAboveMaxRowsAreRejected() {
        String record = "{\"amount\": 1, \"account_age_days\": 1}";
        String body = "{\"instances\": [" + String.join(", ", record, record, record, record) + "]}";

        String message = assertError(server.post("/v1/models/fraud:predict", body), 413, "PAYLOAD_TOO_LARGE");

        assertThat(message).contains("at most " + server.maxRows());
    }

    @Test
    @Specification(number = "KServe V1", text = "predict on an unknown model or version is 404")
    void predictOnUnknownModelReturnsNotFound() {
        String body = "{\"instances\": [{\"amount\": 1, \"account_age_days\": 1}]}";

        assertThat(assertError(server.post("/v1/models/nope:predict", body), 404, "MODEL_NOT_FOUND"))
                .contains("'nope'");
        assertThat(assertError(server.post("/v1/models/fraud/versions/9:predict", body), 404, "MODEL_NOT_FOUND"))
                .contains("'9'");
    }

    @Test
    @Specification(number = "KServe V1", text = "model status: 200 {\"name\": m, \"ready\": true}; unknown model 404")
    void modelStatusReportsReadiness() {
        assertThat(assertOk(server.get("/v1/models/fraud")).toString())
                .isEqualTo("{\"name\":\"fraud\",\"ready\":true}");
        assertThat(assertOk(server.get("/v1/models/fraud/versions/1")).toString())
                .isEqualTo("{\"name\":\"fraud\",\"ready\":true}");
        assertThat(assertError(server.get("/v1/models/nope"), 404, "MODEL_NOT_FOUND"))
                .contains("'nope'");
    }
}
