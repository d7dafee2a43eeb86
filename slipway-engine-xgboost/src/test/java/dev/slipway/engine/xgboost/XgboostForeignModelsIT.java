package dev.slipway.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.api.DataType;
import dev.slipway.api.Tensor;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.TensorSpec;
import dev.slipway.testing.EngineCompatibilityKit;
import dev.slipway.testing.Fixtures;
import dev.slipway.testing.KnownAnswers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * XGBoost models saved the way notebooks save them (see {@code fixtures/foreign_notebook.py}): the whole kit runs on an
 * {@code XGBRegressor} fitted on a bare array, and the tests below load a booster trained with feature names and types,
 * from JSON and from UBJ, against XGBoost's own predictions in Python.
 */
class XgboostForeignModelsIT extends EngineCompatibilityKit {
    private static final double TOLERANCE = 1e-5;
    private static final List<String> NAMES =
            List.of("tenure_months", "monthly_charges", "support_calls", "satisfaction", "has_contract");

    @Override
    protected Engine engine() {
        return new XgboostEngine();
    }

    @Override
    protected Path fixture(Path directory) {
        return Fixtures.copy("foreign-xgb-reg.json", directory);
    }

    @Override
    protected KnownAnswers knownAnswers() {
        return answers("foreign-xgb-reg-expected.csv", 5);
    }

    private static KnownAnswers answers(String csv, int features) {
        List<double[]> rows = Fixtures.csv(csv);
        Tensor input = Tensor.ofFloats("input", new long[] {rows.size(), features}, Fixtures.floats(rows, 0, features));
        return new KnownAnswers(
                List.of(input), "prediction", Fixtures.doubles(rows, features, features + 1), TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foreign-xgb-reg.json", "foreign-xgb-reg.ubj"})
    void aRegressorFittedOnABareArrayHasNoColumnNamesAndPredictsLikeXgboost(String file) {
        KnownAnswers answers = knownAnswers();
        try (ModelInstance model = engine().load(ModelArtifact.of(Fixtures.copy(file, directory)))) {
            assertThat(model.signature().inputs()).containsExactly(TensorSpec.of("input", DataType.FP32, -1, 5));
            assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("prediction", DataType.FP32, -1));

            assertThat(values(model.infer(answers.inputs()), "prediction"))
                    .containsExactly(answers.expected(), within(TOLERANCE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"foreign-xgb-named.json", "foreign-xgb-named.ubj"})
    void aBoosterTrainedWithFeatureNamesNamesItsInputColumnsInTrainingOrder(String file) {
        KnownAnswers answers = answers("foreign-xgb-named-expected.csv", 5);
        try (ModelInstance model = engine().load(ModelArtifact.of(Fixtures.copy(file, directory)))) {
            assertThat(model.signature().inputs())
                    .containsExactly(new TensorSpec("input", DataType.FP32, List.of(-1L, 5L), NAMES));

            double[] actual = values(model.infer(answers.inputs()), "prediction");

            assertThat(actual).containsExactly(answers.expected(), within(TOLERANCE));
            assertThat(answers.inputs().get(0).data().asDouble(4 * 5 + 3))
                    .as("row 4 has a missing satisfaction")
                    .isNaN();
        }
    }
}
