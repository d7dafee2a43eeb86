package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans from files and manifests: defaults, every key, every problem named, and a lossless stored form. */
class RolloutPlansTest {
    @TempDir
    Path temp;

    @Test
    void aPlanFileSetsEveryKeyAndSurvivesTheStoredForm() throws Exception {
        Path file = Files.writeString(
                temp.resolve("plan.yaml"),
                """
                shadow: {duration: PT1M, min-requests: 50, sample: 25, max-disagreement: 0.02}
                steps:
                  - {weight: 2.5, bake: PT2M, min-requests: 100}
                  - {weight: 30, bake: PT3M, min-requests: 300}
                deadline: PT10M
                checks: {alpha: 0.05, latency-tolerance: 0.5, latency-slack-ms: 10, max-prediction-shift: 0.3,
                         srm-alpha: 0.0001}
                """);

        RolloutPlan plan = RolloutPlans.read(file);

        assertThat(plan.shadow()).isEqualTo(new RolloutPlan.ShadowPhase(Duration.ofMinutes(1), 50, 25, 0.02));
        assertThat(plan.steps())
                .containsExactly(
                        new RolloutPlan.Step(2.5, Duration.ofMinutes(2), 100),
                        new RolloutPlan.Step(30, Duration.ofMinutes(3), 300));
        assertThat(plan.steps().get(0).basisPoints()).isEqualTo(250);
        assertThat(plan.checks()).isEqualTo(new RolloutPlan.Checks(0.05, 0.5, 10, 0.3, 0.0001));
        assertThat(RolloutJson.read(RolloutJson.write(plan), RolloutPlan.class)).isEqualTo(plan);
    }

    @Test
    void missingKeysTakeTheirDefaults() throws Exception {
        RolloutPlan plan = RolloutPlans.read(Files.writeString(temp.resolve("plan.yaml"), "checks: {alpha: 0.05}\n"));
        assertThat(plan.shadow()).isNull();
        assertThat(plan.steps()).isEqualTo(RolloutPlan.DEFAULT.steps());
        assertThat(plan.checks().maxPredictionShift()).isEqualTo(0.1);
        assertThat(plan.checks().latencySlackMs()).isEqualTo(1.0);
    }

    @Test
    void everyProblemIsNamedWithItsPathValueAndExpectation() throws Exception {
        Path file = Files.writeString(
                temp.resolve("plan.yaml"),
                """
                steps:
                  - {weight: 50, bake: PT1M}
                  - {weight: 20, bake: PT0S}
                checks: {alpha: 2}
                """);

        assertThatThrownBy(() -> RolloutPlans.read(file)).isInstanceOfSatisfying(SlipwayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage())
                    .contains("rollout.steps[1].weight: 20.0 (expected: percent above the previous step's 50.0")
                    .contains("rollout.steps[1].bake: PT0S (expected: a positive ISO-8601 duration")
                    .contains("rollout.checks.alpha: 2.0 (expected: a probability in (0, 1))");
        });
        Path unknown = Files.writeString(temp.resolve("unknown.yaml"), "stepz: []\n");
        assertThatThrownBy(() -> RolloutPlans.read(unknown))
                .hasMessageContaining("rollout.stepz: unknown key (expected one of: checks, deadline, shadow, steps)");
    }

    @Test
    void aManifestMayDeclareItsPlan() {
        String manifest = "name: m\nrollout:\n  steps: [{weight: 10, bake: PT1M, min-requests: 10}]\n";
        RolloutPlan plan = RolloutPlans.choose(null, manifest, "m:2", null);
        assertThat(plan.steps()).containsExactly(new RolloutPlan.Step(10, Duration.ofMinutes(1), 10));
        assertThat(RolloutPlans.choose(null, "name: m\n", "m:2", null)).isEqualTo(RolloutPlan.DEFAULT);
    }
}
