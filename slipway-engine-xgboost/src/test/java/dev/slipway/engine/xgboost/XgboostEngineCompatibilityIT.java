package dev.slipway.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.api.DataType;
import dev.slipway.api.Tensor;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import dev.slipway.testing.EngineCompatibilityKit;
import dev.slipway.testing.Fixtures;
import dev.slipway.testing.KnownAnswers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class XgboostEngineCompatibilityIT extends EngineCompatibilityKit {

    @Override
    protected Engine engine() {
        return new XgboostEngine();
    }

    @Override
    protected Path fixture(Path directory) {
        return Fixtures.copy("tiny-xgb.json", directory);
    }

    @Override
    protected KnownAnswers knownAnswers() {
        return answers("tiny-xgb-expected.csv", 3, 1);
    }

    private static KnownAnswers answers(String csv, int features, int outputs) {
        List<double[]> rows = Fixtures.csv(csv);
        Tensor input = Tensor.ofFloats("input", new long[] {rows.size(), features}, Fixtures.floats(rows, 0, features));
        return new KnownAnswers(
                List.of(input), "prediction", Fixtures.doubles(rows, features, features + outputs), 1e-6);
    }

    @Test
    void signatureCarriesTheFeatureNamesSavedByPython() {
        assertThat(instance().signature().inputs().get(0).columnNames()).containsExactly("f0", "f1", "f2");
        assertThat(instance().signature().outputs().get(0).shape()).containsExactly(-1L);
    }

    @Test
    void ubjsonGivesTheSamePredictionsAsJson() {
        KnownAnswers answers = knownAnswers();
        try (ModelInstance ubj = engine().load(ModelArtifact.of(Fixtures.copy("tiny-xgb.ubj", directory)))) {
            assertThat(values(ubj.infer(answers.inputs()), "prediction"))
                    .containsExactly(answers.expected(), within(1e-6));
        }
    }

    @Test
    void multiClassModelsPredictOneProbabilityPerClass() {
        KnownAnswers answers = answers("tiny-xgb-multiclass-expected.csv", 4, 3);
        try (ModelInstance model =
                engine().load(ModelArtifact.of(Fixtures.copy("tiny-xgb-multiclass.json", directory)))) {
            assertThat(model.signature().outputs().get(0).shape()).containsExactly(-1L, 3L);
            Tensor output = model.infer(answers.inputs()).get(0);
            assertThat(output.datatype()).isEqualTo(DataType.FP32);
            assertThat(output.shape()).containsExactly(answers.inputs().get(0).dim(0), 3);
            assertThat(values(List.of(output), "prediction")).containsExactly(answers.expected(), within(1e-6));
        }
    }
}
