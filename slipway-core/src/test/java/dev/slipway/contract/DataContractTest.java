package dev.slipway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.RequestedOutput;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataContractTest {
    static final String MANIFEST =
            """
            name: trucks
            version: 1
            format: fake
            artifact: {file: m.bin, sha256: "%s"}
            features:
              - {name: speed, type: float, min: 0, max: 160}
              - {name: hour, type: int, min: 0, max: 23}
              - {name: ignition, type: bool}
              - {name: road, type: categorical, categories: {highway: 0, urban: 1, yard: 3}}
              - {name: distance, type: float, min: 0, nullable: true}
              - {name: load, type: float, min: 0, default: 2.5}
            tensors:
              - {name: input, datatype: FP32, columns: [speed, hour, ignition, road, distance, load]}
            outputs:
              - {name: p, from: probabilities, column: 1, datatype: FP64, kind: probability, threshold: 0.4, decision: alert}
              - {name: label, from: label, datatype: INT64, kind: label}
            owners: {team: t, on-call: o}
            """
                    .formatted("0".repeat(64));

    static final Signature SIGNATURE = new Signature(
            List.of(TensorSpec.of("input", DataType.FP32, -1, 6)),
            List.of(TensorSpec.of("label", DataType.INT64, -1), TensorSpec.of("probabilities", DataType.FP32, -1, 2)));

    final DataContract contract = DataContract.bind(manifest(MANIFEST), SIGNATURE);

    static ModelManifest manifest(String text) {
        return ManifestReader.parse(text, "model.yaml", null);
    }

    static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }

    static Map<String, Object> validRow() {
        return row("speed", 12.5, "hour", 7, "ignition", true, "road", "yard", "distance", 40.0, "load", 1.0);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(Map<String, Object>... rows) {
        return List.of(rows);
    }

    @Test
    void recordsBecomeTheModelTensorInColumnOrder() {
        BoundBatch batch = contract.bindRecords(List.copyOf(rows(validRow())));

        assertThat(batch.rows()).isEqualTo(1);
        Tensor input = batch.inputs().get(0);
        assertThat(input.name()).isEqualTo("input");
        assertThat(input.shape()).containsExactly(1, 6);
        assertThat(((TensorData.Floats) input.data()).values()).containsExactly(12.5f, 7f, 1f, 3f, 40f, 1f);
    }

    @Test
    void missingValuesTakeTheDefaultOrNaNWhenNullable() {
        Map<String, Object> row = validRow();
        row.remove("load");
        row.put("distance", null);

        float[] values = ((TensorData.Floats) contract.bindRecords(List.copyOf(rows(row)))
                        .inputs()
                        .get(0)
                        .data())
                .values();

        assertThat(values[4]).isNaN();
        assertThat(values[5]).isEqualTo(2.5f);
    }

    @Test
    void everyViolationOfARequestIsReportedAtOnce() {
        Map<String, Object> first = validRow();
        first.put("speed", -5.0);
        Map<String, Object> second = row("speed", 10, "hour", 7.5, "ignition", 2, "road", "dirt", "colour", "red");

        assertThatThrownBy(() -> contract.bindRecords(List.copyOf(rows(first, second))))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.details())
                            .containsExactly(
                                    "row 0: speed: -5.0 (expected: 0..160)",
                                    "row 1: colour: unknown feature (expected: one of speed, hour, ignition, road, distance, load)",
                                    "row 1: hour: 7.5 (expected: an integer in 0..23)",
                                    "row 1: ignition: 2 (expected: true, false, 1 or 0)",
                                    "row 1: road: \"dirt\" (expected: one of highway, urban, yard)");
                });
    }

    @Test
    void aSingleRowViolationReadsFieldValueExpectation() {
        Map<String, Object> row = validRow();
        row.put("speed", -5.0);
        row.remove("hour");

        assertThatThrownBy(() -> contract.bindRecords(List.copyOf(rows(row))))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("speed: -5.0 (expected: 0..160); hour: missing (expected: an integer in 0..23)"));
    }

    @Test
    void violationsAreCappedButCounted() {
        Map<String, Object>[] many = new Map[200];
        for (int i = 0; i < many.length; i++) {
            many[i] = validRow();
            many[i].put("speed", 999.0);
        }

        assertThatThrownBy(() -> contract.bindRecords(List.of(many)))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.details()).hasSize(Violations.MAX_LISTED + 1);
                    assertThat(e.details().get(Violations.MAX_LISTED)).isEqualTo("and 150 more violations");
                });
    }

    @Test
    void modelTensorsAreCheckedColumnByColumn() {
        Tensor input = Tensor.ofFloats(
                "input", new long[] {2, 6}, 10f, 3f, 1f, 0f, Float.NaN, Float.NaN, 200f, 3f, 1f, 2f, 1f, 1f);

        assertThatThrownBy(() -> contract.bindTensors(List.of(input)))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .containsExactly(
                                "row 1: speed: 200.0 (expected: 0..160)",
                                "row 1: road: 2.0 (expected: a category code: 0 (highway), 1 (urban), 3 (yard))"));
    }

    @Test
    void modelTensorsGetDefaultsForMissingValuesWithoutChangingTheCallersArray() {
        float[] values = {10f, 3f, 1f, 0f, Float.NaN, Float.NaN};
        Tensor input = Tensor.ofFloats("input", new long[] {1, 6}, values);

        float[] bound = ((TensorData.Floats)
                        contract.bindTensors(List.of(input)).inputs().get(0).data())
                .values();

        assertThat(bound[4]).isNaN();
        assertThat(bound[5]).isEqualTo(2.5f);
        assertThat(values[5]).isNaN();
    }

    @Test
    void modelTensorsMustHaveTheModelsDatatypeAndShape() {
        Tensor wrongType = Tensor.ofDoubles("input", new long[] {1, 6}, 1, 2, 1, 0, 1, 1);
        Tensor wrongShape = Tensor.ofFloats("input", new long[] {1, 5}, 1, 2, 1, 0, 1);

        assertThatThrownBy(() -> contract.bindTensors(List.of(wrongType)))
                .hasMessage("input 'input': datatype FP64 (expected: FP32)");
        assertThatThrownBy(() -> contract.bindTensors(List.of(wrongShape)))
                .hasMessage("input 'input': shape [1, 5] (expected: [rows, 6])");
    }

    @Test
    void oneTensorPerFeatureIsAssembledWhateverTheirDatatypes() {
        List<Tensor> inputs = List.of(
                Tensor.ofDoubles("speed", new long[] {2}, 10, 20),
                Tensor.ofLongs("hour", new long[] {2, 1}, 1, 23),
                Tensor.ofBools("ignition", new long[] {2}, true, false),
                Tensor.ofStrings("road", new long[] {2}, "urban", "highway"),
                Tensor.ofInts("load", new long[] {2}, 4, 5));

        Tensor input = contract.bindTensors(inputs).inputs().get(0);

        assertThat(((TensorData.Floats) input.data()).values())
                .containsExactly(10f, 1f, 1f, 1f, Float.NaN, 4f, 20f, 23f, 0f, 0f, Float.NaN, 5f);
    }

    @Test
    void unknownInputNamesAreNamedWithWhatIsExpected() {
        Tensor stray = Tensor.ofFloats("sped", new long[] {1}, 1f);

        assertThatThrownBy(() -> contract.bindTensors(List.of(stray)))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.getMessage())
                        .startsWith("input 'sped': unknown input (expected: 'input' FP32[-1, 6], or one [rows] tensor "
                                + "per feature: speed, hour"));
    }

    @Test
    void zeroRowsAreRefused() {
        Tensor empty = Tensor.ofFloats("input", new long[] {0, 6});

        assertThatThrownBy(() -> contract.bindTensors(List.of(empty))).hasMessageContaining("rows: 0");
    }

    @Test
    void servedOutputsTakeTheColumnConvertAndDecide() {
        List<Tensor> engine = List.of(
                Tensor.ofLongs("label", new long[] {3}, 0, 1, 1),
                Tensor.ofFloats("probabilities", new long[] {3, 2}, 0.9f, 0.1f, 0.6f, 0.4f, 0.2f, 0.8f));

        List<Tensor> served = contract.serve(engine, List.of());

        assertThat(served).extracting(Tensor::name).containsExactly("p", "alert", "label");
        assertThat(served.get(0).datatype()).isEqualTo(DataType.FP64);
        assertThat(((TensorData.Doubles) served.get(0).data()).values()).containsExactly(0.1f, 0.4f, 0.8f);
        assertThat(((TensorData.Bools) served.get(1).data()).values()).containsExactly(false, true, true);
        assertThat(((TensorData.Longs) served.get(2).data()).values()).containsExactly(0, 1, 1);
    }

    @Test
    void requestedOutputsFilterAndOrderTheAnswer() {
        List<Tensor> engine = List.of(
                Tensor.ofLongs("label", new long[] {1}, 1),
                Tensor.ofFloats("probabilities", new long[] {1, 2}, 0.3f, 0.7f));

        List<Tensor> served =
                contract.serve(engine, List.of(new RequestedOutput("alert", false), new RequestedOutput("p", false)));

        assertThat(served).extracting(Tensor::name).containsExactly("alert", "p");
        assertThatThrownBy(() -> contract.serve(engine, List.of(new RequestedOutput("q", false))))
                .hasMessage("output 'q': unknown output (expected: one of p, alert, label)");
    }

    @Test
    void servedOutputsBecomeRecords() {
        List<Tensor> engine = List.of(
                Tensor.ofLongs("label", new long[] {2}, 1, 0),
                Tensor.ofFloats("probabilities", new long[] {2, 2}, 0.3f, 0.7f, 0.8f, 0.2f));

        List<Map<String, Object>> records = DataContract.toRecords(contract.serve(engine, List.of()), 2);

        assertThat(records).hasSize(2);
        assertThat(records.get(0)).containsEntry("alert", true).containsEntry("label", 1L);
        assertThat((Double) records.get(0).get("p")).isEqualTo(0.7f);
        assertThat(records.get(1)).containsEntry("alert", false);
    }

    @Test
    void metadataDescribesTheModelTensorAndServedOutputs() {
        assertThat(contract.inputSpecs()).singleElement().satisfies(spec -> {
            assertThat(spec.name()).isEqualTo("input");
            assertThat(spec.shape()).containsExactly(-1L, 6L);
        });
        assertThat(contract.outputSpecs()).extracting(TensorSpec::name).containsExactly("p", "alert", "label");
        assertThat(contract.outputSpecs().get(1).datatype()).isEqualTo(DataType.BOOL);
    }

    @Test
    void aSignatureThatDisagreesWithTheManifestIsAParityMismatch() {
        Signature other = new Signature(
                List.of(
                        new TensorSpec(
                                "input",
                                DataType.FP64,
                                List.of(-1L, 6L),
                                List.of("hour", "speed", "ignition", "road", "distance", "load")),
                        TensorSpec.of("extra", DataType.FP32, -1, 1)),
                List.of(TensorSpec.of("probabilities", DataType.FP32, -1, 1)));

        assertThatThrownBy(() -> DataContract.bind(manifest(MANIFEST), other))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PARITY_MISMATCH);
                    assertThat(e.details())
                            .anySatisfy(p -> assertThat(p).contains("datatype FP32 (the model expects FP64)"))
                            .anySatisfy(
                                    p -> assertThat(p).contains("differ from the feature names stored in the model"))
                            .anySatisfy(p -> assertThat(p).contains("model input 'extra'"))
                            .anySatisfy(p -> assertThat(p).contains("column 1 does not exist"))
                            .anySatisfy(p -> assertThat(p).contains("from 'label' is not an output of the model"));
                });
    }

    @Test
    void nullableFeaturesWithoutDefaultCannotFeedAnIntegerTensor() {
        String text = MANIFEST.replace("datatype: FP32, columns", "datatype: INT64, columns");
        Signature ints = new Signature(List.of(TensorSpec.of("input", DataType.INT64, -1, 6)), SIGNATURE.outputs());

        assertThatThrownBy(() -> DataContract.bind(manifest(text), ints))
                .hasMessageContaining("feature 'distance' is nullable without a default, but INT64 cannot hold");
    }

    @Test
    void numbersInRecordsKeepTheirIntegerness() {
        Map<String, Object> row = new HashMap<>(validRow());
        row.put("hour", 7L);
        row.put("road", 1);

        float[] values = ((TensorData.Floats)
                        contract.bindRecords(List.of(row)).inputs().get(0).data())
                .values();

        assertThat(values[1]).isEqualTo(7f);
        assertThat(values[3]).isEqualTo(1f);
    }

    /** A scikit-learn pipeline exported from a DataFrame: one [rows, 1] input per column, each of its own datatype. */
    static final String DATA_FRAME_MANIFEST =
            """
            name: churn
            version: 1
            format: fake
            artifact: {file: m.bin, sha256: "%s"}
            features:
              - {name: tenure_months, type: int, min: 0}
              - {name: monthly_charges, type: float, min: 0}
              - {name: support_calls, type: int, min: 0}
              - {name: satisfaction, type: float, min: 1, max: 5}
            tensors:
              - {name: tenure_months, datatype: INT64, columns: [tenure_months]}
              - {name: monthly_charges, datatype: FP64, columns: [monthly_charges]}
              - {name: support_calls, datatype: INT64, columns: [support_calls]}
              - {name: satisfaction, datatype: FP32, columns: [satisfaction]}
            outputs:
              - {name: p_churn, from: output_probability, column: 0, datatype: FP32, kind: probability}
            owners: {team: t, on-call: o}
            """
                    .formatted("0".repeat(64));

    static final Signature DATA_FRAME_SIGNATURE = new Signature(
            List.of(
                    TensorSpec.of("tenure_months", DataType.INT64, -1, 1),
                    TensorSpec.of("monthly_charges", DataType.FP64, -1, 1),
                    TensorSpec.of("support_calls", DataType.INT64, -1, 1),
                    TensorSpec.of("satisfaction", DataType.FP32, -1, 1)),
            List.of(
                    TensorSpec.of("output_label", DataType.BYTES, -1),
                    TensorSpec.of("output_probability", DataType.FP32, -1, 2)));

    final DataContract dataFrame = DataContract.bind(manifest(DATA_FRAME_MANIFEST), DATA_FRAME_SIGNATURE);

    @Test
    void recordsFillOneTypedTensorPerColumn() {
        List<Tensor> inputs = dataFrame
                .bindRecords(rows(
                        row("tenure_months", 51, "monthly_charges", 27.76, "support_calls", 2, "satisfaction", 1.75),
                        row("tenure_months", 0, "monthly_charges", 100.1, "support_calls", 0, "satisfaction", 1.5)))
                .inputs();

        assertThat(inputs)
                .extracting(Tensor::name, Tensor::datatype)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tenure_months", DataType.INT64),
                        org.assertj.core.groups.Tuple.tuple("monthly_charges", DataType.FP64),
                        org.assertj.core.groups.Tuple.tuple("support_calls", DataType.INT64),
                        org.assertj.core.groups.Tuple.tuple("satisfaction", DataType.FP32));
        assertThat(inputs).allSatisfy(t -> assertThat(t.shape()).containsExactly(2, 1));
        assertThat(((TensorData.Longs) inputs.get(0).data()).values()).containsExactly(51, 0);
        assertThat(((TensorData.Doubles) inputs.get(1).data()).values()).containsExactly(27.76, 100.1);
        assertThat(((TensorData.Floats) inputs.get(3).data()).values()).containsExactly(1.75f, 1.5f);
    }

    @Test
    void aColumnTensorMayComeAsTheModelsOwnOrAsAFeatureOfAnyNumericDatatype() {
        List<Tensor> own = List.of(
                Tensor.ofLongs("tenure_months", new long[] {1, 1}, 51),
                Tensor.ofDoubles("monthly_charges", new long[] {1, 1}, 27.76),
                Tensor.ofLongs("support_calls", new long[] {1, 1}, 2),
                Tensor.ofFloats("satisfaction", new long[] {1, 1}, 1.75f));
        List<Tensor> features = List.of(
                Tensor.ofDoubles("tenure_months", new long[] {1}, 51),
                Tensor.ofDoubles("monthly_charges", new long[] {1}, 27.76),
                Tensor.ofInts("support_calls", new long[] {1}, 2),
                Tensor.ofDoubles("satisfaction", new long[] {1}, 1.75));

        List<Tensor> fromOwn = dataFrame.bindTensors(own).inputs();
        List<Tensor> fromFeatures = dataFrame.bindTensors(features).inputs();

        for (int i = 0; i < 4; i++) {
            assertThat(fromFeatures.get(i).datatype()).isEqualTo(fromOwn.get(i).datatype());
            assertThat(fromFeatures.get(i).shape()).containsExactly(1, 1);
            assertThat(fromFeatures.get(i).data().asDouble(0))
                    .isEqualTo(fromOwn.get(i).data().asDouble(0));
        }
        assertThat(fromOwn.get(1).data().asDouble(0)).isEqualTo(27.76);
    }

    @Test
    void aColumnTensorIsCheckedAgainstItsFeature() {
        List<Tensor> inputs = List.of(
                Tensor.ofDoubles("tenure_months", new long[] {1}, 2.5),
                Tensor.ofDoubles("monthly_charges", new long[] {1}, -3),
                Tensor.ofLongs("support_calls", new long[] {1}, 2),
                Tensor.ofFloats("satisfaction", new long[] {1, 2}, 1f, 2f));

        assertThatThrownBy(() -> dataFrame.bindTensors(inputs))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("input 'satisfaction': shape [1, 2] (expected: [rows] or [rows, 1] for a feature)"));
        assertThatThrownBy(() -> dataFrame.bindTensors(inputs.subList(0, 3)))
                .hasMessage("tenure_months: 2.5 (expected: an integer in 0..); monthly_charges: -3.0 (expected: 0..); "
                        + "satisfaction: missing (expected: 1..5)");
    }
}
