package dev.slipway.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.testing.EngineCompatibilityKit;
import dev.slipway.testing.Fixtures;
import dev.slipway.testing.KnownAnswers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesEngineCompatibilityTest extends EngineCompatibilityKit {

    @Override
    protected Engine engine() {
        return new RulesEngine();
    }

    @Override
    protected Path fixture(Path directory) {
        return Fixtures.copy("tiny-rules.yaml", directory);
    }

    @Override
    protected KnownAnswers knownAnswers() {
        Tensor input =
                Tensor.ofDoubles("input", new long[] {5, 2}, 2.0, 0.1, 2.0, 0.9, 0.5, 0.1, Double.NaN, 0.1, 1.0, 0.4);
        return new KnownAnswers(List.of(input), "probability", new double[] {0.8, 0.6, 0.1, 0.1, 0.1}, 0);
    }

    @Test
    void reportsWhichRuleMatched() {
        List<Tensor> outputs = instance().infer(knownAnswers().inputs());
        assertThat(values(outputs, RulesModel.RULE_INDEX)).containsExactly(0, 1, -1, -1, -1);
    }

    @Test
    void everyBadRuleIsReportedAtOnce() throws Exception {
        Path file = directory.resolve("bad.yaml");
        Files.writeString(
                file,
                """
                input: {name: input, columns: [a, b]}
                output: {name: probability}
                rules:
                  - {name: typo, when: "aa > 1.0", score: 0.9}
                  - {name: not-boolean, when: "a + 1.0", score: 0.5}
                  - {name: fine, when: "b < 2.0", score: 0.5}
                default-score: 0.1
                """);
        assertThatThrownBy(() -> engine().load(ModelArtifact.of(file)))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.details()).hasSize(2);
                    assertThat(e.details().get(0)).contains("rules[0] 'typo'").contains("aa");
                    assertThat(e.details().get(1)).contains("rules[1] 'not-boolean'");
                });
    }

    @Test
    void malformedFilesNameEveryProblem() throws Exception {
        Path file = directory.resolve("bad.yaml");
        Files.writeString(
                file,
                """
                input: {name: input, columns: [a, "b c"]}
                rules:
                  - {name: no-score, when: "a > 1.0"}
                surprise: true
                """);
        assertThatThrownBy(() -> engine().load(ModelArtifact.of(file)))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .anySatisfy(p -> assertThat(p).startsWith("input.columns[1]"))
                        .anySatisfy(p -> assertThat(p).startsWith("rules[0].score"))
                        .anySatisfy(p -> assertThat(p).startsWith("surprise"))
                        .anySatisfy(p -> assertThat(p).startsWith("default-score")));
    }
}
