package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertOk;
import static dev.slipway.server.rest.RestAssertions.booleans;
import static dev.slipway.server.rest.RestAssertions.floats;
import static dev.slipway.server.rest.RestAssertions.inferBody;
import static dev.slipway.server.rest.RestAssertions.input;
import static dev.slipway.server.rest.RestAssertions.longs;
import static dev.slipway.server.rest.RestAssertions.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.config.EnginesConfig;
import dev.slipway.inference.Engines;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelLoader;
import dev.slipway.parity.ParityReport;
import dev.slipway.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models a notebook Slipway never saw exported (see {@code fixtures/foreign_notebook.py}), packaged with hand-written
 * manifests ({@code fixtures/foreign-*.model.yaml}) and served through the real ONNX engine: a scikit-learn classifier
 * with skl2onnx's default ZipMap probabilities, and a DataFrame pipeline with one typed input per column. Expected
 * values are scikit-learn's own, from the fixtures' CSV files.
 */
class ForeignModelsIT {
    private static final double TOLERANCE = 1e-5;

    /** The served model name of each foreign fixture, and the prefix of its files. */
    private static final Map<String, String> FIXTURES = Map.of(
            "parcel-service-level", "foreign-logreg",
            "churn", "foreign-churn",
            "ignition-move", "foreign-mixed",
            "static-mlp", "foreign-static-mlp");

    @RegisterExtension
    static final ServerExtension server = new ServerExtension()
            .repository(repository -> FIXTURES.keySet().forEach(model -> install(repository, model)));

    /** Puts a fixture into a model repository as version 1 of its model: manifest, ONNX file and golden CSV. */
    static void install(Path repository, String model) {
        String fixture = FIXTURES.get(model);
        Fixtures.modelVersion(
                repository.resolve(model).resolve("1"),
                fixture + ".model.yaml",
                fixture + ".onnx",
                fixture + "-expected.csv");
    }

    /** Columns: weight_kg, volume_l, distance_km, declared_value_hundreds, service_level, p_standard..p_freight. */
    private static final List<double[]> PARCELS = Fixtures.csv("foreign-logreg-expected.csv");

    /** Columns: tenure_months, monthly_charges, support_calls, satisfaction, p_churn, p_stay, churned, predicted. */
    private static final List<double[]> CUSTOMERS = Fixtures.csv("foreign-churn-expected.csv");

    /** scikit-learn's predicted class of each customer, "churn" or "stay". */
    private static final List<String> PREDICTED = Fixtures.csvColumn("foreign-churn-expected.csv", "predicted");

    @TempDir
    Path directory;

    @Test
    void theZipMapClassifierAnswersV1RecordsWithScikitLearnsLabelsAndProbabilities() {
        String instances = PARCELS.stream()
                .map(r -> String.format(
                        Locale.ROOT,
                        "{\"weight_kg\": %s, \"volume_l\": %s, \"distance_km\": %s, \"declared_value_hundreds\": %s}",
                        r[0],
                        r[1],
                        r[2],
                        r[3]))
                .collect(Collectors.joining(", ", "{\"instances\": [", "]}"));

        JsonNode response = assertOk(server.post("/v1/models/parcel-service-level:predict", instances));

        JsonNode predictions = response.get("predictions");
        assertThat(predictions.size()).isEqualTo(PARCELS.size());
        List<Long> labels = new ArrayList<>();
        for (int row = 0; row < PARCELS.size(); row++) {
            JsonNode prediction = predictions.get(row);
            double[] expected = PARCELS.get(row);
            labels.add(prediction.get("service_level").longValue());
            assertThat(prediction.get("p_standard").doubleValue()).isCloseTo(expected[5], within(TOLERANCE));
            assertThat(prediction.get("p_express").doubleValue()).isCloseTo(expected[6], within(TOLERANCE));
            assertThat(prediction.get("p_freight").doubleValue()).isCloseTo(expected[7], within(TOLERANCE));
            assertThat(prediction.get("freight").booleanValue()).isEqualTo(expected[7] >= 0.5);
        }
        assertThat(labels)
                .containsExactlyElementsOf(
                        PARCELS.stream().map(r -> (long) r[4]).toList())
                .contains(3L, 7L, 12L);
    }

    @Test
    void theZipMapClassifierAnswersV2InferWithItsOwnInputTensor() {
        StringBuilder data = new StringBuilder();
        for (double[] row : PARCELS) {
            for (int c = 0; c < 4; c++) {
                data.append(data.length() == 0 ? "" : ", ").append(row[c]);
            }
        }
        String body = inferBody(input("X", "FP32", "[" + PARCELS.size() + ", 4]", "[" + data + "]"));

        JsonNode response = assertOk(server.post("/v2/models/parcel-service-level/infer", body));

        JsonNode label = output(response, "service_level");
        assertThat(label.get("datatype").asText()).isEqualTo("INT64");
        assertThat(longs(label.get("data")))
                .containsExactlyElementsOf(
                        PARCELS.stream().map(r -> (long) r[4]).toList());
        float[] express = floats(output(response, "p_express").get("data"));
        assertThat(output(response, "p_express").get("shape").get(0).asInt()).isEqualTo(PARCELS.size());
        for (int row = 0; row < PARCELS.size(); row++) {
            assertThat((double) express[row]).as("row %d", row).isCloseTo(PARCELS.get(row)[6], within(TOLERANCE));
        }
    }

    @Test
    void theDataFramePipelineAnswersV1RecordsOfIntegersAndFloats() {
        String instances = CUSTOMERS.stream()
                .map(r -> String.format(
                        Locale.ROOT,
                        "{\"tenure_months\": %d, \"monthly_charges\": %s, \"support_calls\": %d, \"satisfaction\": %s}",
                        (long) r[0],
                        r[1],
                        (long) r[2],
                        r[3]))
                .collect(Collectors.joining(", ", "{\"instances\": [", "]}"));

        JsonNode response = assertOk(server.post("/v1/models/churn:predict", instances));

        JsonNode predictions = response.get("predictions");
        List<Boolean> churned = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        for (int row = 0; row < CUSTOMERS.size(); row++) {
            JsonNode prediction = predictions.get(row);
            predicted.add(prediction.get("predicted").asText());
            assertThat(prediction.get("p_churn").doubleValue())
                    .isCloseTo(CUSTOMERS.get(row)[4], within(TOLERANCE));
            assertThat(prediction.get("p_stay").doubleValue())
                    .isCloseTo(CUSTOMERS.get(row)[5], within(TOLERANCE));
            churned.add(prediction.get("churned").booleanValue());
        }
        assertThat(churned)
                .containsExactlyElementsOf(
                        CUSTOMERS.stream().map(r -> r[6] == 1).toList())
                .contains(true, false);
        assertThat(predicted).containsExactlyElementsOf(PREDICTED).contains("churn", "stay");
    }

    @ParameterizedTest
    @ValueSource(strings = {"model tensors", "feature tensors"})
    void theDataFramePipelineAnswersV2InferWithOneTensorPerColumn(String form) {
        boolean own = form.equals("model tensors");
        int n = CUSTOMERS.size();
        String shape = own ? "[" + n + ", 1]" : "[" + n + "]";
        String body = inferBody(
                input("tenure_months", own ? "INT64" : "FP64", shape, column(0, own)),
                input("monthly_charges", "FP64", shape, column(1, false)),
                input("support_calls", own ? "INT64" : "INT32", shape, column(2, true)),
                input("satisfaction", own ? "FP32" : "FP64", shape, column(3, false)));

        JsonNode response = assertOk(server.post("/v2/models/churn/infer", body));

        float[] churn = floats(output(response, "p_churn").get("data"));
        for (int row = 0; row < n; row++) {
            assertThat((double) churn[row])
                    .as("row %d", row)
                    .isCloseTo(CUSTOMERS.get(row)[4], within(TOLERANCE));
        }
        assertThat(booleans(output(response, "churned").get("data")))
                .containsExactlyElementsOf(
                        CUSTOMERS.stream().map(r -> r[6] == 1).toList());
        JsonNode predicted = output(response, "predicted");
        assertThat(predicted.get("datatype").asText()).isEqualTo("BYTES");
        List<String> labels = new ArrayList<>();
        predicted.get("data").forEach(label -> labels.add(label.asText()));
        assertThat(labels).containsExactlyElementsOf(PREDICTED);
    }

    /** Columns: road_type (text), ignition_on (true/false), speed_kmh, p_move, label. */
    private static final List<String> ROADS = Fixtures.csvColumn("foreign-mixed-expected.csv", "road_type");

    private static final List<String> IGNITIONS = Fixtures.csvColumn("foreign-mixed-expected.csv", "ignition_on");

    private static final List<double[]> MOVES = Fixtures.csv("foreign-mixed-expected.csv");

    @Test
    void stringAndBooleanModelInputsAreFedFromV1RecordsWithCategoryNames() {
        List<String> records = new ArrayList<>();
        for (int row = 0; row < MOVES.size(); row++) {
            records.add(String.format(
                    Locale.ROOT,
                    "{\"road_type\": \"%s\", \"ignition_on\": %s, \"speed_kmh\": %s}",
                    ROADS.get(row),
                    IGNITIONS.get(row),
                    MOVES.get(row)[2]));
        }

        JsonNode response =
                assertOk(server.post("/v1/models/ignition-move:predict", "{\"instances\": " + records + "}"));

        JsonNode predictions = response.get("predictions");
        for (int row = 0; row < MOVES.size(); row++) {
            assertThat(predictions.get(row).get("p_move").doubleValue())
                    .as("row %d", row)
                    .isCloseTo(MOVES.get(row)[3], within(TOLERANCE));
            assertThat(predictions.get(row).get("label").longValue()).isEqualTo((long) MOVES.get(row)[4]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYTES", "INT32"})
    void stringAndBooleanModelInputsTakeV2TensorsOfNamesOrCodes(String roadType) {
        boolean names = roadType.equals("BYTES");
        String roads = ROADS.stream()
                .map(road -> names
                        ? '"' + road + '"'
                        : Integer.toString(List.of("highway", "urban", "rural").indexOf(road)))
                .collect(Collectors.joining(", ", "[", "]"));
        String shape = "[" + MOVES.size() + ", 1]";
        String body = inferBody(
                input("road_type", roadType, shape, roads),
                input("ignition_on", "BOOL", shape, IGNITIONS.toString()),
                input(
                        "speed_kmh",
                        "FP32",
                        shape,
                        MOVES.stream().map(r -> Double.toString(r[2])).collect(Collectors.joining(", ", "[", "]"))));

        JsonNode response = assertOk(server.post("/v2/models/ignition-move/infer", body));

        float[] moves = floats(output(response, "p_move").get("data"));
        for (int row = 0; row < MOVES.size(); row++) {
            assertThat((double) moves[row]).as("row %d", row).isCloseTo(MOVES.get(row)[3], within(TOLERANCE));
        }
    }

    @Test
    void anUnknownCategoryNameInAStringInputIsRejectedByTheContract() {
        String body = inferBody(
                input("road_type", "BYTES", "[1, 1]", "[\"offroad\"]"),
                input("ignition_on", "BOOL", "[1, 1]", "[true]"),
                input("speed_kmh", "FP32", "[1, 1]", "[10]"));

        String message =
                RestAssertions.assertError(server.post("/v2/models/ignition-move/infer", body), 400, "INVALID_INPUT");

        assertThat(message).isEqualTo("road_type: \"offroad\" (expected: one of highway, urban, rural)");
    }

    /** Columns: x0..x3, p. */
    private static final List<double[]> NETWORK = Fixtures.csv("foreign-static-mlp-expected.csv");

    @Test
    void aModelExportedWithABatchOfOneServesRequestsOfManyRows() {
        JsonNode metadata = assertOk(server.get("/v2/models/static-mlp"));
        assertThat(metadata.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,4]");
        String rows = NETWORK.stream()
                .map(r -> r[0] + ", " + r[1] + ", " + r[2] + ", " + r[3])
                .collect(Collectors.joining(", ", "[", "]"));

        JsonNode response = assertOk(server.post(
                "/v2/models/static-mlp/infer", inferBody(input("input", "FP32", "[" + NETWORK.size() + ", 4]", rows))));

        float[] p = floats(output(response, "p").get("data"));
        assertThat(p).hasSize(NETWORK.size());
        for (int row = 0; row < NETWORK.size(); row++) {
            assertThat((double) p[row]).as("row %d", row).isCloseTo(NETWORK.get(row)[4], within(TOLERANCE));
        }
    }

    private static String column(int index, boolean integers) {
        return CUSTOMERS.stream()
                .map(r -> integers ? Long.toString((long) r[index]) : Double.toString(r[index]))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    @Test
    void bothVersionsAreReadyAndTheirMetadataShowsTheManifestsTensors() {
        assertThat(server.get("/v2/models/parcel-service-level/versions/1/ready")
                        .status())
                .isEqualTo(200);
        assertThat(server.get("/v2/models/churn/versions/1/ready").status()).isEqualTo(200);

        JsonNode churn = assertOk(server.get("/v2/models/churn/versions/1"));

        List<String> inputs = new ArrayList<>();
        churn.get("inputs")
                .forEach(i -> inputs.add(
                        i.get("name").asText() + " " + i.get("datatype").asText()));
        assertThat(inputs)
                .containsExactly(
                        "tenure_months INT64", "monthly_charges FP64", "support_calls INT64", "satisfaction FP32");
    }

    /** What {@code slipway validate} runs: the manifest, digest and signature checks, then the golden rows. */
    @ParameterizedTest
    @ValueSource(strings = {"parcel-service-level", "churn", "ignition-move", "static-mlp"})
    void theParityGatePassesOnEveryGoldenRow(String model) {
        install(directory, model);
        ModelLoader loader =
                new ModelLoader(Engines.discover(), EnginesConfig.defaults().options(), Clock.systemUTC());

        try (LoadedModel loaded = loader.load(directory.resolve(model).resolve("1"), model, 1)) {
            assertThat(loaded.ready()).as("%s: %s", model, loaded.reason()).isTrue();
            ParityReport parity = loaded.parity();
            assertThat(parity).isNotNull();
            assertThat(parity.passed()).as(parity.summary()).isTrue();
            int outputs =
                    switch (model) {
                        case "ignition-move" -> 2;
                        case "static-mlp" -> 1;
                        default -> 4;
                    };
            int rows =
                    switch (model) {
                        case "churn" -> CUSTOMERS.size();
                        case "ignition-move" -> MOVES.size();
                        case "static-mlp" -> NETWORK.size();
                        default -> PARCELS.size();
                    };
            assertThat(parity.rows()).hasSize(outputs * rows);
            assertThat(parity.maxAbsError()).isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
