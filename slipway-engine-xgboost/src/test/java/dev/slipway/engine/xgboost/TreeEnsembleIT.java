package dev.slipway.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.Fixtures;
import java.nio.file.Path;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JVM tree evaluator against XGBoost's own predictor, on rows built to hit every threshold and default branch. */
class TreeEnsembleIT {
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-xgb.json", "tiny-xgb.ubj", "tiny-xgb-multiclass.json", "sample"})
    void agreesWithXgboostOnEveryBranch(String fixture) throws Exception {
        Path file = fixture.equals("sample")
                ? Path.of("../examples/whatsup-logistics/models/stall-detector/1/model.json")
                : Fixtures.copy(fixture, directory);
        Booster booster = XGBoost.loadModel(file.toString());
        try {
            StringBuilder whyNot = new StringBuilder();
            TreeEnsemble ensemble = XgboostJson.read(booster.toByteArray("json"), whyNot)
                    .orElseThrow(() -> new AssertionError(whyNot.toString()));
            float[] rows = EvaluatorCheck.probeRows(ensemble.features(), ensemble.thresholdsByFeature());
            int count = rows.length / ensemble.features();
            float[][] expected = booster.inplace_predict(rows, count, ensemble.features(), Float.NaN);
            float[] actual = new float[count * ensemble.outputsPerRow()];

            ensemble.predict(rows, count, actual);

            long missing = 0;
            for (float value : rows) {
                missing += Float.isNaN(value) ? 1 : 0;
            }
            assertThat(missing).as("probe rows include missing values").isPositive();
            for (int r = 0; r < count; r++) {
                for (int c = 0; c < expected[r].length; c++) {
                    assertThat(actual[r * expected[r].length + c])
                            .as("row %d output %d", r, c)
                            .isCloseTo(expected[r][c], org.assertj.core.api.Assertions.within(1e-6f));
                }
            }
        } finally {
            booster.dispose();
        }
    }
}
