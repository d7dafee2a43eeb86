package dev.slipway.rollout;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.rollout.RolloutStore.AliasMove;
import dev.slipway.rollout.RolloutStore.Change;
import dev.slipway.rollout.RolloutStore.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves rollouts through their phases on evidence. Each {@link #tick()} takes (or renews) the endpoint's lease, judges
 * the current window and, when something changes, writes the new state, routing table and alias moves to the store in
 * one audited transaction with the evidence. Passive: a scheduler (or a test with a manual clock) calls {@code tick}.
 */
public final class RolloutController {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutController.class);
    private static final int MAX_ATTEMPTS = 3;
    private static final String PRODUCTION = "production";

    private final RolloutStore store;
    private final Observations observations;
    private final VersionStatus versions;
    private final Flags flags;
    private final Consumer<RoutingTable> publish;
    private final Runnable serveProduction;
    private final Clock clock;
    private final String instance;
    private final Duration leaseFor;
    private final Set<String> leased = ConcurrentHashMap.newKeySet();

    /**
     * A controller.
     *
     * @param publish applies a routing table in this process at once (other replicas follow the registry)
     * @param serveProduction makes this process serve the registry's production versions now; runs after a change that
     *     moved a production alias and before the table relying on it, so no request falls back to the old version in
     *     between
     * @param instance this process's name in leases and the audit log
     * @param leaseFor how long a lease lasts without renewal (a few ticks)
     */
    public RolloutController(
            RolloutStore store,
            Observations observations,
            VersionStatus versions,
            Flags flags,
            Consumer<RoutingTable> publish,
            Runnable serveProduction,
            Clock clock,
            String instance,
            Duration leaseFor) {
        this.store = store;
        this.observations = observations;
        this.versions = versions;
        this.flags = flags;
        this.publish = publish;
        this.serveProduction = serveProduction;
        this.clock = clock;
        this.instance = instance;
        this.leaseFor = leaseFor;
    }

    /**
     * Starts rolling {@code candidate} out on {@code endpoint}: points the {@code candidate} alias at it and waits
     * for it to load before any traffic reaches it.
     *
     * @param salt the routing salt; none derives one from the endpoint and candidate, so each rollout picks a fresh
     *     slice of keys
     * @throws SlipwayException {@code CONFIG_INVALID} for a bad plan, {@code CONFLICT} when a rollout is active or the
     *     candidate is the production version, {@code MODEL_NOT_FOUND} for an unknown version
     */
    public Stored start(
            String endpoint,
            long candidate,
            RolloutPlan plan,
            @Nullable String salt,
            String actor,
            @Nullable String reason) {
        List<String> problems = plan.problems("plan");
        if (!problems.isEmpty()) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "rollout plan is invalid: " + String.join("; ", problems),
                    problems,
                    null);
        }
        long primary = store.production(endpoint);
        if (primary == candidate) {
            throw new SlipwayException(
                    ErrorCode.CONFLICT,
                    "version " + candidate + " of '" + endpoint
                            + "' is already in production (expected: another version)");
        }
        Instant now = clock.instant();
        Rollout rollout = new Rollout(
                endpoint, primary, candidate, plan, Phase.PENDING, -1, now, false, actor, now, "started", null, null);
        String chosenSalt = salt != null ? salt : endpoint + "/" + candidate;
        RoutingTable table = RoutingTable.single(endpoint, 0, chosenSalt, primary);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("primary", primary);
        evidence.put("candidate", candidate);
        evidence.put("plan", plan);
        Stored stored = store.start(
                rollout,
                table,
                new Change(actor, "rollout-start", reason, evidence, List.of(new AliasMove("candidate", candidate))));
        publish.accept(stored.table());
        return stored;
    }

    /**
     * Starts an A/B test: the arms (control first) split live traffic by routing key once every arm's version has
     * loaded; each tick refreshes the report (per-arm rates, effect sizes with confidence intervals and p-values, and
     * the sample-ratio check). Non-production arm versions get an {@code ab-<arm>} alias so every replica loads them.
     *
     * @throws SlipwayException {@code INVALID_INPUT} for fewer than two arms or weights not summing to 100 %, {@code
     *     CONFLICT} when a rollout or experiment is active
     */
    public Stored startExperiment(
            String endpoint,
            List<RoutingTable.Arm> arms,
            long minRows,
            @Nullable String salt,
            String actor,
            @Nullable String reason) {
        if (arms.size() < 2) {
            throw SlipwayException.invalidInput("arms: %d (expected: at least two, control first)", arms.size());
        }
        if (minRows < 1) {
            throw SlipwayException.invalidInput("min-rows: %d (expected: >= 1)", minRows);
        }
        RoutingTable probe = new RoutingTable(endpoint, 0, "probe", arms, null);
        long production = store.production(endpoint);
        Instant now = clock.instant();
        Experiment experiment = new Experiment(probe.arms(), minRows);
        Rollout rollout = new Rollout(
                endpoint,
                experiment.control().version(),
                arms.get(1).version(),
                RolloutPlan.DEFAULT,
                Phase.PENDING,
                -1,
                now,
                false,
                actor,
                now,
                "started",
                null,
                experiment);
        List<AliasMove> aliases = new ArrayList<>();
        for (RoutingTable.Arm arm : experiment.arms()) {
            if (arm.version() != production) {
                aliases.add(new AliasMove(armAlias(arm), arm.version()));
            }
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("arms", experiment.arms());
        evidence.put("min-rows", minRows);
        Stored stored = store.start(
                rollout,
                RoutingTable.single(
                        endpoint,
                        0,
                        salt != null ? salt : endpoint + "/ab/" + now.toEpochMilli(),
                        experiment.control().version()),
                new Change(actor, "experiment-start", reason, evidence, aliases));
        publish.accept(stored.table());
        return stored;
    }

    /**
     * Ends an A/B test: with a winner other than the control, its version becomes production (as a promotion);
     * otherwise all traffic returns to the control. One routing change either way.
     */
    public Stored stopExperiment(String endpoint, @Nullable String winner, String actor, @Nullable String reason) {
        return operate(endpoint, stored -> {
            requireActive(stored, "stop");
            Rollout rollout = stored.rollout();
            Experiment experiment = rollout.experiment();
            if (experiment == null) {
                throw new SlipwayException(
                        ErrorCode.CONFLICT,
                        "endpoint '" + endpoint
                                + "' runs a rollout, not an experiment (expected: slipway rollout ...)");
            }
            if (winner == null || winner.equals(experiment.control().variant())) {
                return end(
                        stored,
                        Phase.ABORTED,
                        reason == null ? "experiment stopped by " + actor : reason,
                        null,
                        actor,
                        "experiment-stop");
            }
            RoutingTable.Arm arm = experiment.arms().stream()
                    .filter(a -> a.variant().equals(winner))
                    .findFirst()
                    .orElseThrow(() -> SlipwayException.invalidInput(
                            "winner: '%s' (expected: one of the arms %s)",
                            winner,
                            experiment.arms().stream()
                                    .map(RoutingTable.Arm::variant)
                                    .toList()));
            Rollout withWinner = new Rollout(
                    endpoint,
                    rollout.primary(),
                    arm.version(),
                    rollout.plan(),
                    rollout.phase(),
                    rollout.step(),
                    rollout.stepStartedAt(),
                    rollout.paused(),
                    rollout.startedBy(),
                    rollout.startedAt(),
                    rollout.outcome(),
                    rollout.last(),
                    experiment);
            return end(
                    new Stored(withWinner, stored.table(), stored.revision()),
                    Phase.PROMOTED,
                    reason == null ? "arm " + winner + " won; promoted by " + actor : reason,
                    rollout.last(),
                    actor,
                    "experiment-stop");
        });
    }

    private static String armAlias(RoutingTable.Arm arm) {
        return "ab-" + arm.variant();
    }

    /** Judges every active rollout whose lease this controller holds; returns what it wrote. */
    public List<Stored> tick() {
        List<Stored> written = new ArrayList<>();
        for (Stored stored : store.all()) {
            if (!stored.rollout().phase().active()) {
                leased.remove(stored.rollout().endpoint());
                continue;
            }
            try {
                tick(stored).ifPresent(written::add);
            } catch (SlipwayException e) {
                if (e.code() != ErrorCode.CONFLICT) {
                    throw e;
                }
                LOG.info("rollout of {} changed under the controller; next tick reads it again", endpoint(stored));
            }
        }
        return written;
    }

    private Optional<Stored> tick(Stored stored) {
        String endpoint = endpoint(stored);
        Instant now = clock.instant();
        if (!store.lease(endpoint, instance, now.plus(leaseFor))) {
            leased.remove(endpoint);
            return Optional.empty();
        }
        if (leased.add(endpoint)) {
            publish.accept(stored.table());
            if (stored.rollout().phase() != Phase.PENDING) {
                observations.restart(endpoint, stored.table().epoch());
                stored = store.save(
                        stored,
                        stored.rollout()
                                .restartedAt(now, "controller " + instance + " took over; observing the step afresh"));
            }
        }
        Rollout rollout = stored.rollout();
        if (rollout.paused() || flags.frozen(endpoint)) {
            return Optional.empty();
        }
        return switch (rollout.phase()) {
            case PENDING -> pending(stored, now);
            case SHADOW -> judge(stored, now, shadowJudgement(stored, now), shadowBake(rollout));
            case CANARY -> judge(
                    stored, now, canaryJudgement(stored, now), step(rollout).bake());
            case EXPERIMENT -> Optional.of(store.save(
                    stored,
                    rollout.judged(Experiments.report(
                            window(stored).orElse(null), java.util.Objects.requireNonNull(rollout.experiment())))));
            default -> Optional.empty();
        };
    }

    private Optional<Stored> pending(Stored stored, Instant now) {
        Rollout rollout = stored.rollout();
        Experiment experiment = rollout.experiment();
        VersionStatus.State state = experiment == null
                ? versions.of(rollout.endpoint(), rollout.candidate())
                : experiment.arms().stream()
                        .map(arm -> versions.of(rollout.endpoint(), arm.version()))
                        .filter(arm -> !arm.ready())
                        .findFirst()
                        .orElse(VersionStatus.State.READY);
        if (state.failure() != null) {
            return Optional.of(end(
                    stored,
                    Phase.ROLLED_BACK,
                    "candidate failed to load: " + state.failure(),
                    null,
                    actor(),
                    "rollout-rollback"));
        }
        if (!state.ready()) {
            if (now.isAfter(rollout.startedAt().plus(rollout.plan().deadline()))) {
                return Optional.of(end(
                        stored,
                        Phase.ROLLED_BACK,
                        "candidate did not load within the deadline "
                                + rollout.plan().deadline(),
                        null,
                        actor(),
                        "rollout-rollback"));
            }
            return Optional.empty();
        }
        if (experiment != null) {
            return Optional.of(transition(
                    stored,
                    rollout.moveTo(Phase.EXPERIMENT, -1, now, "every arm loaded; experiment running"),
                    null,
                    actor(),
                    "experiment-run",
                    null,
                    List.of()));
        }
        RolloutPlan.ShadowPhase shadow = rollout.plan().shadow();
        Rollout next = shadow != null
                ? rollout.moveTo(Phase.SHADOW, -1, now, "candidate loaded; shadowing")
                : rollout.moveTo(Phase.CANARY, 0, now, "candidate loaded; first canary step");
        return Optional.of(transition(stored, next, null, actor(), "rollout-step", null, List.of()));
    }

    private Judgement shadowJudgement(Stored stored, Instant now) {
        Rollout rollout = stored.rollout();
        RolloutPlan.ShadowPhase phase =
                java.util.Objects.requireNonNull(rollout.plan().shadow());
        Optional<Window> window = window(stored);
        return Judge.shadow(
                window.map(Window::shadowSample).orElse(ShadowSample.EMPTY),
                window.map(w -> w.sample(RoutingTable.PRIMARY)).orElse(VariantSample.EMPTY),
                phase,
                rollout.plan().checks(),
                baked(rollout, phase.duration(), now));
    }

    private Judgement canaryJudgement(Stored stored, Instant now) {
        Rollout rollout = stored.rollout();
        RolloutPlan.Step step = step(rollout);
        Optional<Window> window = window(stored);
        return Judge.canary(
                window.map(w -> w.sample(RoutingTable.CANARY)).orElse(VariantSample.EMPTY),
                window.map(w -> w.sample(RoutingTable.PRIMARY)).orElse(VariantSample.EMPTY),
                step.basisPoints() / (double) Buckets.COUNT,
                step.minRequests(),
                rollout.plan().checks(),
                baked(rollout, step.bake(), now));
    }

    private Optional<Stored> judge(Stored stored, Instant now, Judgement judgement, Duration bake) {
        Rollout rollout = stored.rollout();
        switch (judgement.verdict()) {
            case FAIL -> {
                return Optional.of(end(
                        stored,
                        Phase.ROLLED_BACK,
                        "failed " + judgement.failures() + " " + where(rollout),
                        judgement,
                        actor(),
                        "rollout-rollback"));
            }
            case PASS -> {
                return Optional.of(advance(stored, now, judgement));
            }
            default -> {
                Instant deadline =
                        rollout.stepStartedAt().plus(bake).plus(rollout.plan().deadline());
                if (judgement.baked() && now.isAfter(deadline)) {
                    return Optional.of(end(
                            stored,
                            Phase.ROLLED_BACK,
                            "insufficient evidence " + where(rollout) + " by the deadline " + deadline,
                            judgement,
                            actor(),
                            "rollout-rollback"));
                }
                return Optional.of(store.save(stored, rollout.judged(judgement)));
            }
        }
    }

    private Stored advance(Stored stored, Instant now, Judgement judgement) {
        Rollout rollout = stored.rollout();
        int nextStep = rollout.phase() == Phase.SHADOW ? 0 : rollout.step() + 1;
        if (nextStep >= rollout.plan().steps().size()) {
            return end(stored, Phase.PROMOTED, "every step passed", judgement, actor(), "rollout-promote");
        }
        Rollout next = rollout.moveTo(
                Phase.CANARY,
                nextStep,
                now,
                where(rollout) + " passed; canary at "
                        + rollout.plan().steps().get(nextStep).weight() + " %");
        return transition(stored, next, judgement, actor(), "rollout-step", null, List.of());
    }

    /** Promotes at once, skipping the remaining steps. */
    public Stored promote(String endpoint, String actor, @Nullable String reason) {
        return operate(endpoint, stored -> {
            requireActive(stored, "promote");
            return end(
                    stored,
                    Phase.PROMOTED,
                    reason == null ? "promoted by " + actor : reason,
                    null,
                    actor,
                    "rollout-promote");
        });
    }

    /** Pauses: nothing moves until {@link #resume}. */
    public Stored pause(String endpoint, String actor, @Nullable String reason) {
        return operate(endpoint, stored -> {
            requireActive(stored, "pause");
            return transition(
                    stored,
                    stored.rollout().pausedAs(true, clock.instant()),
                    null,
                    actor,
                    "rollout-pause",
                    reason,
                    List.of());
        });
    }

    /** Resumes a paused rollout; the current step observes afresh. */
    public Stored resume(String endpoint, String actor, @Nullable String reason) {
        return operate(endpoint, stored -> {
            requireActive(stored, "resume");
            Stored resumed = transition(
                    stored,
                    stored.rollout().pausedAs(false, clock.instant()),
                    null,
                    actor,
                    "rollout-resume",
                    reason,
                    List.of());
            observations.restart(endpoint, resumed.table().epoch());
            return resumed;
        });
    }

    /** Stops the rollout: all traffic back to the primary in one routing change, candidate alias removed. */
    public Stored abort(String endpoint, String actor, @Nullable String reason) {
        return operate(endpoint, stored -> {
            requireActive(stored, "abort");
            return end(
                    stored,
                    Phase.ABORTED,
                    reason == null ? "aborted by " + actor : reason,
                    null,
                    actor,
                    "rollout-abort");
        });
    }

    /**
     * Rolls back: an active rollout returns all traffic to its primary; otherwise (or with {@code to}) the production
     * alias and all traffic move to {@code to}, without steps or analysis — for going back to a known-good version.
     */
    public Stored rollback(String endpoint, @Nullable Long to, String actor, @Nullable String reason) {
        return operate(endpoint, stored -> {
            Rollout rollout = stored.rollout();
            if (rollout.phase().active() && (to == null || to == rollout.primary())) {
                return end(
                        stored,
                        Phase.ROLLED_BACK,
                        reason == null ? "rolled back by " + actor : reason,
                        null,
                        actor,
                        "rollout-rollback");
            }
            long target = to != null ? to : rollout.primary();
            Rollout next = new Rollout(
                    endpoint,
                    target,
                    rollout.candidate(),
                    rollout.plan(),
                    Phase.ROLLED_BACK,
                    rollout.step(),
                    clock.instant(),
                    false,
                    rollout.startedBy(),
                    rollout.startedAt(),
                    "production moved to version " + target + " by " + actor,
                    null,
                    rollout.experiment());
            List<AliasMove> aliases = new ArrayList<>();
            aliases.add(new AliasMove(PRODUCTION, target));
            if (rollout.phase().active()) {
                aliases.add(new AliasMove("candidate", null));
            }
            return transition(stored, next, null, actor, "rollout-rollback", reason, aliases);
        });
    }

    /** Every endpoint's latest rollout. */
    public List<Stored> all() {
        return store.all();
    }

    /** The endpoint's rollout. */
    public Optional<Stored> status(String endpoint) {
        return store.find(endpoint);
    }

    private Stored end(
            Stored stored, Phase phase, String why, @Nullable Judgement judgement, String actor, String action) {
        Rollout rollout = stored.rollout();
        Rollout next = rollout.moveTo(phase, rollout.step(), clock.instant(), why);
        if (judgement != null) {
            next = next.judged(judgement);
        }
        List<AliasMove> aliases = new ArrayList<>();
        if (phase == Phase.PROMOTED) {
            aliases.add(new AliasMove(PRODUCTION, rollout.candidate()));
            aliases.add(new AliasMove("previous", rollout.primary()));
        }
        aliases.add(new AliasMove("candidate", null));
        if (rollout.experiment() != null) {
            for (RoutingTable.Arm arm : rollout.experiment().arms()) {
                aliases.add(new AliasMove(armAlias(arm), null));
            }
        }
        LOG.info("rollout of {} {}: {}", rollout.endpoint(), phase, why);
        return transition(stored, next, judgement, actor, action, why, aliases);
    }

    private Stored transition(
            Stored stored,
            Rollout next,
            @Nullable Judgement judgement,
            String actor,
            String action,
            @Nullable String reason,
            List<AliasMove> aliases) {
        RoutingTable before = stored.table();
        RoutingTable table = table(next, before);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("phase-before", stored.rollout().phase());
        evidence.put("phase-after", next.phase());
        evidence.put("step-before", stored.rollout().step());
        evidence.put("step-after", next.step());
        evidence.put("canary-weight-before", stored.rollout().canaryWeight());
        evidence.put("canary-weight-after", next.canaryWeight());
        if (next.outcome() != null) {
            evidence.put("outcome", next.outcome());
        }
        if (judgement != null) {
            evidence.put("judgement", judgement);
        }
        Stored written = store.update(
                stored,
                next,
                table,
                new Change(actor, action, reason != null ? reason : next.outcome(), evidence, aliases));
        if (written.table().epoch() != before.epoch()) {
            observations.restart(next.endpoint(), written.table().epoch());
        }
        if (aliases.stream().anyMatch(move -> move.alias().equals(PRODUCTION))) {
            serveProduction.run();
        }
        publish.accept(written.table());
        return written;
    }

    /** The table a state routes by: the same epoch when the routes do not change, else the next. */
    static RoutingTable table(Rollout rollout, RoutingTable current) {
        RoutingTable wanted =
                switch (rollout.phase()) {
                    case PENDING -> RoutingTable.single(
                            rollout.endpoint(), current.epoch(), current.salt(), rollout.primary());
                    case SHADOW -> RoutingTable.single(
                                    rollout.endpoint(), current.epoch(), current.salt(), rollout.primary())
                            .withShadow(new RoutingTable.Shadow(
                                    rollout.candidate(),
                                    java.util.Objects.requireNonNull(
                                                    rollout.plan().shadow())
                                            .sampleBasisPoints()));
                    case CANARY -> RoutingTable.canary(
                            rollout.endpoint(),
                            current.epoch(),
                            current.salt(),
                            rollout.primary(),
                            rollout.candidate(),
                            rollout.canaryWeight());
                    case EXPERIMENT -> new RoutingTable(
                            rollout.endpoint(),
                            current.epoch(),
                            current.salt(),
                            java.util.Objects.requireNonNull(rollout.experiment())
                                    .arms(),
                            null);
                    case PROMOTED -> RoutingTable.single(
                            rollout.endpoint(), current.epoch(), current.salt(), rollout.candidate());
                    case ROLLED_BACK, ABORTED -> RoutingTable.single(
                            rollout.endpoint(), current.epoch(), current.salt(), rollout.primary());
                };
        boolean same =
                wanted.arms().equals(current.arms()) && java.util.Objects.equals(wanted.shadow(), current.shadow());
        return same ? current : wanted.next();
    }

    private Stored operate(String endpoint, UnaryOperator<Stored> change) {
        for (int attempt = 1; ; attempt++) {
            Stored stored = store.find(endpoint)
                    .orElseThrow(() -> new SlipwayException(
                            ErrorCode.MODEL_NOT_FOUND,
                            "endpoint '" + endpoint + "' has no rollout (expected: 'slipway rollout start' first)"));
            try {
                return change.apply(stored);
            } catch (SlipwayException e) {
                if (e.code() != ErrorCode.CONFLICT
                        || attempt == MAX_ATTEMPTS
                        || !e.getMessage().contains("revision")) {
                    throw e;
                }
            }
        }
    }

    private static void requireActive(Stored stored, String what) {
        if (!stored.rollout().phase().active()) {
            throw new SlipwayException(
                    ErrorCode.CONFLICT,
                    "cannot " + what + " the rollout of '" + stored.rollout().endpoint() + "': it is "
                            + stored.rollout().phase() + " (expected: an active rollout)");
        }
    }

    private Optional<Window> window(Stored stored) {
        return observations
                .current(stored.rollout().endpoint())
                .filter(window -> window.epoch() == stored.table().epoch());
    }

    private static boolean baked(Rollout rollout, Duration bake, Instant now) {
        return !now.isBefore(rollout.stepStartedAt().plus(bake));
    }

    private static Duration shadowBake(Rollout rollout) {
        return java.util.Objects.requireNonNull(rollout.plan().shadow()).duration();
    }

    private static RolloutPlan.Step step(Rollout rollout) {
        return rollout.plan().steps().get(Math.max(0, rollout.step()));
    }

    private static String where(Rollout rollout) {
        return rollout.phase() == Phase.SHADOW
                ? "in the shadow phase"
                : "at step " + (rollout.step() + 1) + " (" + step(rollout).weight() + " %)";
    }

    private static String endpoint(Stored stored) {
        return stored.rollout().endpoint();
    }

    private String actor() {
        return "controller@" + instance;
    }
}
