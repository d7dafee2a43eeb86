package dev.slipway.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.TensorSpec;
import dev.slipway.testing.EngineCompatibilityKit;
import dev.slipway.testing.Fixtures;
import dev.slipway.testing.KnownAnswers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Models exported the way notebooks export them (see {@code fixtures/foreign_notebook.py}): the whole kit runs on a
 * scikit-learn classifier with skl2onnx's default ZipMap output, and the tests below compare every output with
 * scikit-learn's own answers.
 */
class OnnxForeignModelsIT extends EngineCompatibilityKit {
    private static final double TOLERANCE = 1e-5;
    private static final double BATCH_TOLERANCE = 1e-6;

    @Override
    protected Engine engine() {
        return new OnnxEngine();
    }

    @Override
    protected Path fixture(Path directory) {
        return Fixtures.copy("foreign-logreg.onnx", directory);
    }

    /**
     * ONNX Runtime's linear-classifier kernels round a row in a batch differently from the same row alone: seen here as
     * one float ulp (about 3e-8) in a probability.
     */
    @Override
    protected double batchTolerance() {
        return BATCH_TOLERANCE;
    }

    /** The class probabilities, columns in sorted class order (3, 7, 12), as scikit-learn's predict_proba. */
    @Override
    protected KnownAnswers knownAnswers() {
        List<double[]> rows = Fixtures.csv("foreign-logreg-expected.csv");
        return new KnownAnswers(
                List.of(logregInput(rows)), "output_probability", Fixtures.doubles(rows, 5, 8), TOLERANCE);
    }

    private static Tensor logregInput(List<double[]> rows) {
        return Tensor.ofFloats("X", new long[] {rows.size(), 4}, Fixtures.floats(rows, 0, 4));
    }

    @Test
    void zipMapProbabilitiesAreDescribedAsOneColumnPerClassInSortedOrder() {
        TensorSpec probabilities =
                instance().signature().output("output_probability").orElseThrow();

        assertThat(probabilities.datatype()).isEqualTo(DataType.FP32);
        assertThat(probabilities.shape()).containsExactly(-1L, 3L);
        assertThat(probabilities.columnNames()).containsExactly("3", "7", "12");
        assertThat(instance().signature().output("output_label").orElseThrow())
                .isEqualTo(TensorSpec.of("output_label", DataType.INT64, -1));
    }

    @Test
    void labelsAreScikitLearnsPredictions() {
        List<double[]> rows = Fixtures.csv("foreign-logreg-expected.csv");

        List<Tensor> outputs = instance().infer(List.of(logregInput(rows)));

        assertThat(values(outputs, "output_label")).containsExactly(Fixtures.doubles(rows, 4, 5));
        Tensor probabilities = outputs.get(1);
        assertThat(probabilities.shape()).containsExactly(rows.size(), 3);
        for (int row = 0; row < rows.size(); row++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += probabilities.data().asDouble(row * 3 + c);
            }
            assertThat(sum).as("row %d sums to one", row).isCloseTo(1, within(TOLERANCE));
        }
    }

    @Test
    void dataFrameExportTakesOneTypedTensorPerColumnAndMapsStringClasses() {
        List<double[]> rows = Fixtures.csv("foreign-churn-expected.csv");
        try (ModelInstance churn = engine().load(ModelArtifact.of(Fixtures.copy("foreign-churn.onnx", directory)))) {
            assertThat(churn.signature().inputs())
                    .containsExactly(
                            TensorSpec.of("tenure_months", DataType.INT64, -1, 1),
                            TensorSpec.of("monthly_charges", DataType.FP64, -1, 1),
                            TensorSpec.of("support_calls", DataType.INT64, -1, 1),
                            TensorSpec.of("satisfaction", DataType.FP32, -1, 1));
            TensorSpec probabilities =
                    churn.signature().output("output_probability").orElseThrow();
            assertThat(probabilities.shape()).containsExactly(-1L, 2L);
            assertThat(probabilities.columnNames()).containsExactly("churn", "stay");
            assertThat(churn.signature().output("output_label").orElseThrow().datatype())
                    .isEqualTo(DataType.BYTES);

            List<Tensor> outputs = churn.infer(churnInputs(rows));

            assertThat(values(outputs, "output_probability"))
                    .containsExactly(Fixtures.doubles(rows, 4, 6), within(TOLERANCE));
            TensorData.Strings labels = (TensorData.Strings) outputs.get(0).data();
            List<String> expected = new ArrayList<>();
            List<String> actual = new ArrayList<>();
            for (int row = 0; row < rows.size(); row++) {
                expected.add(rows.get(row)[6] == 1 ? "churn" : "stay");
                actual.add(labels.text(row));
            }
            assertThat(actual).containsExactlyElementsOf(expected).contains("churn", "stay");
        }
    }

    @Test
    void dataFrameExportGivesTheSameRowsOneByOne() {
        List<double[]> rows = Fixtures.csv("foreign-churn-expected.csv");
        try (ModelInstance churn = engine().load(ModelArtifact.of(Fixtures.copy("foreign-churn.onnx", directory)))) {
            List<Tensor> inputs = churnInputs(rows);
            double[] batch = values(churn.infer(inputs), "output_probability");
            for (int row = 0; row < rows.size(); row++) {
                double[] single = values(churn.infer(slice(inputs, row)), "output_probability");
                assertThat(single)
                        .as("row %d", row)
                        .containsExactly(new double[] {batch[row * 2], batch[row * 2 + 1]}, within(BATCH_TOLERANCE));
            }
        }
    }

    private static List<Tensor> churnInputs(List<double[]> rows) {
        int n = rows.size();
        long[] tenure = new long[n];
        double[] charges = new double[n];
        long[] calls = new long[n];
        float[] satisfaction = new float[n];
        for (int i = 0; i < n; i++) {
            tenure[i] = (long) rows.get(i)[0];
            charges[i] = rows.get(i)[1];
            calls[i] = (long) rows.get(i)[2];
            satisfaction[i] = (float) rows.get(i)[3];
        }
        long[] shape = {n, 1};
        return List.of(
                Tensor.ofLongs("tenure_months", shape, tenure),
                Tensor.ofDoubles("monthly_charges", shape, charges),
                Tensor.ofLongs("support_calls", shape, calls),
                Tensor.ofFloats("satisfaction", shape, satisfaction));
    }

    @Test
    void otherNonTensorOutputsAreRefusedNamingTheOutputAndItsType() {
        Path model = Fixtures.copy("foreign-sequence-output.onnx", directory);

        assertThatThrownBy(() -> engine().load(ModelArtifact.of(model)))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
                .hasMessage("output 'pair' has ONNX type seq(tensor(float)) (expected: a tensor, or "
                        + "seq(map(int64|string, float)) class probabilities)");
    }

    @Test
    void aClassifierThatCannotRunTheProbeRowIsRefusedWithTheReason() {
        Path model = Fixtures.copy("foreign-open-width-zipmap.onnx", directory);

        assertThatThrownBy(() -> engine().load(ModelArtifact.of(model)))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageStartingWith("output 'output_probability' is seq(map(int64, float)): its classes are read "
                        + "from one probe row at load, which failed: ")
                .hasMessageEndingWith("(expected: a model that runs on one row of zeros)");
    }
}
