package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.registry.AuditEntry;
import dev.slipway.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted rollouts on a manual clock against a real registry: every outcome the controller must reach, on evidence. */
class RolloutSimulationTest {
    /** Three canary steps of one minute each; at 1,000 requests per 10 s tick the 5 % step sees ~300 canary requests. */
    static final RolloutPlan PLAN = RolloutPlan.of(
            null,
            List.of(
                    RolloutPlan.Step.of(5.0, Duration.ofMinutes(1), 250L),
                    RolloutPlan.Step.of(25.0, Duration.ofMinutes(1), 500L),
                    RolloutPlan.Step.of(50.0, Duration.ofMinutes(1), 1000L)),
            Duration.ofMinutes(2),
            null);

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
    void goodCandidateIsPromotedStepByStepAndTheAuditLogHoldsTheEvidence() {
        sim.start(2, PLAN);

        RolloutStore.Stored end = sim.run(1000, 60);

        assertThat(end.rollout().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(end.table().arms()).containsExactly(new RoutingTable.Arm("primary", 2, Buckets.COUNT));
        assertThat(sim.registry.version(Simulation.ENDPOINT, "production").version())
                .isEqualTo(2);
        assertThat(sim.registry.version(Simulation.ENDPOINT, "previous").version())
                .isEqualTo(1);
        assertThat(answeredVersions())
                .as("served at once, not after the next registry poll")
                .containsOnly(2L);
        assertThatThrownBy(() -> sim.registry.version(Simulation.ENDPOINT, "candidate"))
                .isInstanceOf(SlipwayException.class);
        List<String> actions = actions();
        assertThat(actions)
                .containsSubsequence(
                        "rollout-start", "rollout-step", "rollout-step", "rollout-step", "rollout-promote");
        AuditEntry promote = audit("rollout-promote");
        assertThat(promote.after())
                .contains(
                        "\"verdict\":\"PASS\"",
                        "\"name\":\"error-rate\"",
                        "\"p-value\"",
                        "\"epoch-before\"",
                        "\"epoch-after\"",
                        "\"candidate-n\"");
    }

    @Test
    void higherErrorRateIsRolledBackAtTheFirstStep() {
        sim.behaviours.put("scorer:2", Simulation.Behaviour.GOOD.errors(0.08));
        sim.start(2, PLAN);

        RolloutStore.Stored end = sim.run(1000, 60);

        assertRolledBackAtStep(end, 0, "error-rate");
        assertThat(sim.failures)
                .as("every failed canary call was answered by the fallback chain")
                .isZero();
    }

    @Test
    void slowerP99IsRolledBackAtTheFirstStep() {
        sim.behaviours.put("scorer:2", Simulation.Behaviour.GOOD.slow(0.2, 40));
        sim.start(2, PLAN);

        assertRolledBackAtStep(sim.run(1000, 60), 0, "latency");
    }

    @Test
    void shiftedPredictionsAreRolledBackAtTheFirstStep() {
        sim.behaviours.put("scorer:2", Simulation.Behaviour.GOOD.shifted(0.3));
        sim.start(2, PLAN);

        assertRolledBackAtStep(sim.run(1000, 60), 0, "prediction-shift");
    }

    @Test
    void aCandidateCausingFallbacksIsRolledBackAtTheFirstStep() {
        sim.behaviours.put("scorer:2", Simulation.Behaviour.GOOD.errors(0.06));
        sim.start(2, PLAN);

        RolloutStore.Stored end = sim.run(1000, 60);

        assertRolledBackAtStep(end, 0, "fallback-rate");
        assertThat(sim.answers)
                .anySatisfy(routed -> assertThat(routed.variant()).isEqualTo(Router.FALLBACK));
    }

    @Test
    void tooLittleTrafficHoldsAsInsufficientThenFailsAtTheDeadline() {
        sim.start(2, PLAN);
        sim.tick(20); // the candidate loads: step 1 begins

        for (int i = 0; i < 6; i++) {
            sim.tick(20);
            assertThat(sim.stored().rollout().phase()).isEqualTo(Phase.CANARY);
            assertThat(sim.stored().rollout().last().verdict()).isEqualTo(Verdict.INSUFFICIENT);
        }
        RolloutStore.Stored end = sim.run(20, 30);

        assertThat(end.rollout().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(end.rollout().step()).isZero();
        assertThat(end.rollout().outcome()).contains("insufficient evidence");
        assertThat(end.rollout().last().checks())
                .filteredOn(check -> check.name().equals("error-rate"))
                .singleElement()
                .satisfies(check -> assertThat(check.verdict()).isEqualTo(Verdict.INSUFFICIENT));
    }

    @Test
    void aSegmentFlagThatSkewsTheSplitIsCaughtBySampleRatioMismatch() {
        sim.start(2, PLAN);
        sim.tick(1000);
        sim.writeFlags(
                """
                route.scorer:
                  default: ""
                  rules:
                    - {key-prefix: "TRK-1", value: canary}
                """);

        RolloutStore.Stored end = sim.run(1000, 60);

        assertRolledBackAtStep(end, 0, "sample-ratio");
    }

    @Test
    void aRestartMidCanaryResumesAtTheSameStepAndFinishes() {
        sim.start(2, PLAN);
        while (sim.stored().rollout().step() < 1) {
            sim.tick(1000);
        }
        long epoch = sim.stored().table().epoch();

        sim.restart("sim-b"); // a new process: another instance name, so it waits out the old lease
        sim.tick(1000);
        assertThat(sim.stored().rollout().step()).isEqualTo(1);
        assertThat(sim.router.table(Simulation.ENDPOINT).orElseThrow().epoch()).isEqualTo(epoch);
        sim.clock.advance(Simulation.TICK.multipliedBy(3));
        sim.tick(1000);

        assertThat(sim.stored().rollout().step()).isEqualTo(1);
        assertThat(sim.stored().rollout().outcome()).contains("sim-b took over");
        assertThat(sim.run(1000, 60).rollout().phase()).isEqualTo(Phase.PROMOTED);
    }

    @Test
    void abortReturnsAllTrafficToThePrimaryInOneRoutingChange() {
        sim.start(2, PLAN);
        while (sim.stored().rollout().step() < 1) {
            sim.tick(1000);
        }
        long epoch = sim.stored().table().epoch();

        RolloutStore.Stored aborted = sim.controller.abort(Simulation.ENDPOINT, "bob", "pager went off");

        assertThat(aborted.rollout().phase()).isEqualTo(Phase.ABORTED);
        assertThat(aborted.table().epoch()).isEqualTo(epoch + 1);
        assertThat(aborted.table().arms()).containsExactly(new RoutingTable.Arm("primary", 1, Buckets.COUNT));
        int before = sim.answers.size();
        sim.traffic(500);
        assertThat(sim.answers.subList(before, sim.answers.size()))
                .hasSize(500)
                .allSatisfy(routed -> assertThat(routed.version()).isEqualTo(1));
        assertThat(sim.registry.version(Simulation.ENDPOINT, "production").version())
                .isEqualTo(1);
        assertThatThrownBy(() -> sim.registry.version(Simulation.ENDPOINT, "candidate"))
                .isInstanceOf(SlipwayException.class);
        assertThat(audit("rollout-abort").actor()).isEqualTo("bob");
    }

    @Test
    void aShadowThatDisagreesFailsBeforeServingAnyone() {
        RolloutPlan plan = RolloutPlan.of(
                RolloutPlan.ShadowPhase.of(Duration.ofMinutes(1), 300L, 50.0, 0.02),
                PLAN.steps(),
                Duration.ofMinutes(2),
                RolloutPlan.Checks.of(null, null, null, 1.0, null));
        sim.behaviours.put("scorer:2", Simulation.Behaviour.GOOD.shifted(0.25));
        sim.start(2, plan);

        RolloutStore.Stored end = sim.run(1000, 60);

        assertThat(end.rollout().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(end.rollout().step()).isEqualTo(-1);
        assertThat(end.rollout().last().failures()).contains("disagreement");
        assertThat(sim.answers)
                .allSatisfy(routed -> assertThat(routed.version()).isNotEqualTo(2));
    }

    @Test
    void aShadowThatAgreesPassesIntoTheCanarySteps() {
        RolloutPlan plan = RolloutPlan.of(
                RolloutPlan.ShadowPhase.of(Duration.ofMinutes(1), 300L, 50.0, 0.05),
                PLAN.steps(),
                Duration.ofMinutes(2),
                null);
        sim.start(2, plan);

        for (int i = 0; i < 10 && sim.stored().rollout().phase() != Phase.CANARY; i++) {
            sim.tick(1000);
        }

        assertThat(sim.stored().rollout().phase())
                .as(() -> sim.stored().rollout().outcome() + " "
                        + sim.stored().rollout().last())
                .isEqualTo(Phase.CANARY);
        AuditEntry step = audit("rollout-step");
        assertThat(step.after()).contains("\"name\":\"disagreement\"", "\"phase-before\":\"SHADOW\"");
    }

    @Test
    void aFrozenRolloutHoldsWhereItIs() {
        sim.start(2, PLAN);
        sim.tick(1000);
        sim.writeFlags("rollout-freeze.scorer: true\n");

        for (int i = 0; i < 20; i++) {
            sim.tick(1000);
        }
        assertThat(sim.stored().rollout().step()).isZero();

        sim.writeFlags("rollout-freeze.scorer: false\n");
        assertThat(sim.run(1000, 60).rollout().phase()).isEqualTo(Phase.PROMOTED);
    }

    @Test
    void theKillSwitchAnswersFromTheFallbackChain() {
        sim.writeFlags("force-fallback.scorer: true\n");

        sim.traffic(50);

        assertThat(sim.answers).hasSize(50).allSatisfy(routed -> {
            assertThat(routed.variant()).isEqualTo(Router.FALLBACK);
            assertThat(routed.model()).isEqualTo(Simulation.RULES);
        });
    }

    @Test
    void aBrokenFlagFileFallsBackToCodedDefaultsAndIsCounted() {
        sim.writeFlags("force-fallback.scorer: \"yes please\"\n");

        sim.traffic(10);

        assertThat(sim.answers)
                .allSatisfy(routed -> assertThat(routed.variant()).isEqualTo("primary"));
        assertThat(sim.flags.failures()).isEqualTo(10);
    }

    @Test
    void productionCannotMoveUnderAnActiveRolloutAndRollbackToSkipsAnalysis() {
        sim.start(2, PLAN);
        assertThatThrownBy(() -> sim.registry.alias(Simulation.ENDPOINT, 3, ModelRegistry.PRODUCTION, "eve", null))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        sim.run(1000, 60);

        RolloutStore.Stored back = sim.controller.rollback(Simulation.ENDPOINT, 1L, "bob", "known good");

        assertThat(back.table().arms()).containsExactly(new RoutingTable.Arm("primary", 1, Buckets.COUNT));
        assertThat(sim.registry.version(Simulation.ENDPOINT, "production").version())
                .isEqualTo(1);
        assertThat(answeredVersions()).containsOnly(1L);
    }

    /** The endpoint versions answering the next 200 requests (fallback answers left out). */
    private java.util.Set<Long> answeredVersions() {
        sim.answers.clear();
        sim.traffic(200);
        assertThat(sim.answers).hasSize(200);
        return sim.answers.stream()
                .filter(routed -> routed.answer().model().equals(Simulation.ENDPOINT))
                .map(routed -> routed.answer().version())
                .collect(java.util.stream.Collectors.toSet());
    }

    private void assertRolledBackAtStep(RolloutStore.Stored end, int step, String failedCheck) {
        assertThat(end.rollout().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(end.rollout().step()).isEqualTo(step);
        assertThat(end.rollout().last().failures()).contains(failedCheck);
        assertThat(end.table().arms()).containsExactly(new RoutingTable.Arm("primary", 1, Buckets.COUNT));
        assertThat(sim.registry.version(Simulation.ENDPOINT, "production").version())
                .isEqualTo(1);
        assertThat(audit("rollout-rollback").after()).contains("\"verdict\":\"FAIL\"", failedCheck);
    }

    private List<String> actions() {
        List<String> actions = new java.util.ArrayList<>(sim.registry.audit(Simulation.ENDPOINT, 100).stream()
                .map(AuditEntry::action)
                .toList());
        java.util.Collections.reverse(actions);
        return actions;
    }

    private AuditEntry audit(String action) {
        return sim.registry.audit(Simulation.ENDPOINT, 100).stream()
                .filter(entry -> entry.action().equals(action))
                .findFirst()
                .orElseThrow();
    }
}
