package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.SlipwayException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A/B(/n) tests in the scripted world: sticky split, effects with intervals and p-values, SRM, and a winner. */
class ExperimentSimulationTest {
    @TempDir
    Path temp;

    Simulation sim;

    @BeforeEach
    void world() {
        sim = new Simulation(temp);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aTreatmentThatScoresHigherShowsItsEffectWithAnIntervalExcludingZeroAndCanWin() {
        sim.behaviours.put("scorer:2", Simulation.Behaviour.GOOD.shifted(0.05));
        sim.controller.startExperiment(
                Simulation.ENDPOINT,
                List.of(new RoutingTable.Arm("control", 1, 5000), new RoutingTable.Arm("treatment", 2, 5000)),
                2000,
                null,
                "alice",
                "does the retrained model flag more stalls?");

        for (int i = 0; i < 12; i++) {
            sim.tick(1000);
        }

        RolloutStore.Stored running = sim.stored();
        assertThat(running.rollout().phase()).isEqualTo(Phase.EXPERIMENT);
        Judgement report = running.rollout().last();
        assertThat(report.verdict()).isEqualTo(Verdict.PASS);
        Check rate = check(report, "positive-rate:treatment");
        assertThat(rate.statistic()).isPositive();
        assertThat(rate.pValue()).isLessThan(0.01);
        assertThat(rate.detail()).contains("95% CI +0.0", "significant at 5 %");
        Check mean = check(report, "mean-score:treatment");
        assertThat(mean.statistic()).isBetween(0.03, 0.07);
        assertThat(check(report, "sample-ratio").verdict()).isEqualTo(Verdict.PASS);
        assertThat(sim.answers)
                .anySatisfy(routed -> assertThat(routed.variant()).isEqualTo("treatment"));

        RolloutStore.Stored won = sim.controller.stopExperiment(Simulation.ENDPOINT, "treatment", "alice", null);

        assertThat(won.rollout().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(won.table().arms()).containsExactly(new RoutingTable.Arm("primary", 2, Buckets.COUNT));
        assertThat(sim.registry.version(Simulation.ENDPOINT, "production").version())
                .isEqualTo(2);
        assertThatThrownBy(() -> sim.registry.version(Simulation.ENDPOINT, "ab-treatment"))
                .isInstanceOf(SlipwayException.class);
    }

    @Test
    void identicalArmsInAThreeWayTestShowNoEffectAndStopBackOnTheControl() {
        sim.controller.startExperiment(
                Simulation.ENDPOINT,
                List.of(
                        new RoutingTable.Arm("control", 1, 4000),
                        new RoutingTable.Arm("b", 2, 3000),
                        new RoutingTable.Arm("c", 3, 3000)),
                1000,
                null,
                "alice",
                null);

        for (int i = 0; i < 10; i++) {
            sim.tick(1000);
        }

        Judgement report = sim.stored().rollout().last();
        assertThat(report.verdict()).isEqualTo(Verdict.PASS);
        for (String arm : List.of("b", "c")) {
            assertThat(check(report, "positive-rate:" + arm).pValue()).isGreaterThan(0.001);
        }
        Check srm = check(report, "sample-ratio");
        assertThat(srm.detail()).contains("with 2 df");
        assertThat(srm.pValue()).isGreaterThan(0.001);

        RolloutStore.Stored stopped = sim.controller.stopExperiment(Simulation.ENDPOINT, null, "alice", "no effect");

        assertThat(stopped.rollout().phase()).isEqualTo(Phase.ABORTED);
        assertThat(stopped.table().arms()).containsExactly(new RoutingTable.Arm("primary", 1, Buckets.COUNT));
    }

    @Test
    void tooFewRowsIsInsufficientAndArmsAreValidated() {
        assertThatThrownBy(() -> sim.controller.startExperiment(
                        Simulation.ENDPOINT, List.of(new RoutingTable.Arm("control", 1, 10000)), 10, null, "a", null))
                .hasMessageContaining("arms: 1 (expected: at least two, control first)");
        assertThatThrownBy(() -> sim.controller.startExperiment(
                        Simulation.ENDPOINT,
                        List.of(new RoutingTable.Arm("control", 1, 5000), new RoutingTable.Arm("b", 2, 4000)),
                        10,
                        null,
                        "a",
                        null))
                .hasMessageContaining("weights sum to 9000");

        sim.controller.startExperiment(
                Simulation.ENDPOINT,
                List.of(new RoutingTable.Arm("control", 1, 5000), new RoutingTable.Arm("b", 2, 5000)),
                100_000,
                null,
                "a",
                null);
        sim.tick(100);
        sim.tick(100);

        assertThat(sim.stored().rollout().last().verdict()).isEqualTo(Verdict.INSUFFICIENT);
    }

    private static Check check(Judgement report, String name) {
        return report.checks().stream()
                .filter(check -> check.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + report.checks()));
    }
}
