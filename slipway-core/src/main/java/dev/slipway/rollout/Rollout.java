package dev.slipway.rollout;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The state of one endpoint's rollout, as stored in the registry: enough to resume after any restart.
 *
 * @param endpoint the model name clients call
 * @param primary the version serving before the rollout
 * @param candidate the version rolled out
 * @param plan the plan followed
 * @param phase where it is
 * @param step the canary step (index into the plan's steps); -1 before the first
 * @param stepStartedAt when the current phase or step began observing
 * @param paused whether an operator paused it (nothing moves; the step restarts its window on resume)
 * @param startedBy who started it
 * @param startedAt when
 * @param outcome why it ended, or what the last transition was
 * @param last the latest judgement, or none yet
 * @param experiment the A/B test this is, or none for a rollout
 */
public record Rollout(
        String endpoint,
        long primary,
        long candidate,
        RolloutPlan plan,
        Phase phase,
        int step,
        Instant stepStartedAt,
        boolean paused,
        String startedBy,
        Instant startedAt,
        @Nullable String outcome,
        @Nullable Judgement last,
        @Nullable Experiment experiment) {

    /** The candidate's current share of live traffic in basis points. */
    public int canaryWeight() {
        return phase == Phase.CANARY && step >= 0 ? plan.steps().get(step).basisPoints() : 0;
    }

    /** The same rollout in another phase and step, observing from {@code at}. */
    public Rollout moveTo(Phase newPhase, int newStep, Instant at, @Nullable String why) {
        return new Rollout(
                endpoint,
                primary,
                candidate,
                plan,
                newPhase,
                newStep,
                at,
                paused,
                startedBy,
                startedAt,
                why,
                null,
                experiment);
    }

    /** The same rollout with a new judgement. */
    public Rollout judged(Judgement judgement) {
        return new Rollout(
                endpoint,
                primary,
                candidate,
                plan,
                phase,
                step,
                stepStartedAt,
                paused,
                startedBy,
                startedAt,
                outcome,
                judgement,
                experiment);
    }

    /** The same rollout paused or resumed; resuming restarts the step's window at {@code at}. */
    public Rollout pausedAs(boolean pause, Instant at) {
        return new Rollout(
                endpoint,
                primary,
                candidate,
                plan,
                phase,
                step,
                pause ? stepStartedAt : at,
                pause,
                startedBy,
                startedAt,
                pause ? "paused" : "resumed",
                last,
                experiment);
    }

    /** The same rollout observing afresh from {@code at} (after a restart or a lease takeover). */
    public Rollout restartedAt(Instant at, String why) {
        return new Rollout(
                endpoint,
                primary,
                candidate,
                plan,
                phase,
                step,
                at,
                paused,
                startedBy,
                startedAt,
                why,
                null,
                experiment);
    }
}
