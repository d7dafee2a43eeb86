package dev.slipway.rollout;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.inference.Engines;
import dev.slipway.inference.ModelLoader;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.PushListener;
import dev.slipway.registry.PushOptions;
import dev.slipway.registry.RegistryLocation;
import dev.slipway.registry.RegistryRollouts;
import dev.slipway.spi.EngineOptions;
import dev.slipway.testing.FakeEngine;
import dev.slipway.testing.FakeModels;
import dev.slipway.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic world for rollout tests: a real registry (SQLite file), a manual clock, scripted model versions
 * (error rate, latency, scores, each drawn from a seeded generator) and scripted traffic. A request's latency advances
 * the clock, so nothing sleeps. {@link #restart} drops every in-memory object, as {@code kill -9} would, and builds new
 * ones over the same registry.
 */
final class Simulation implements AutoCloseable {
    static final String ENDPOINT = "scorer";
    static final String RULES = "scorer-rules";
    static final Duration TICK = Duration.ofSeconds(10);

    /** How a scripted version behaves. */
    record Behaviour(double errorRate, double latencyMs, double slowShare, double slowMs, double scoreShift) {
        static final Behaviour GOOD = new Behaviour(0.001, 2.0, 0.01, 6.0, 0.0);

        Behaviour errors(double rate) {
            return new Behaviour(rate, latencyMs, slowShare, slowMs, scoreShift);
        }

        Behaviour slow(double share, double ms) {
            return new Behaviour(errorRate, latencyMs, share, ms, scoreShift);
        }

        Behaviour shifted(double shift) {
            return new Behaviour(errorRate, latencyMs, slowShare, slowMs, shift);
        }
    }

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T09:00:00Z"));
    final ModelRegistry registry;
    final RegistryRollouts store;
    final Map<String, Behaviour> behaviours = new HashMap<>();
    final SplittableRandom random = new SplittableRandom(20261126);
    final EndpointPolicy policy;
    final Path flagsFile;
    private final Path temp;
    Observations observations;
    Flags flags;
    FileFlagProvider flagProvider;
    Router router;
    RolloutController controller;
    final List<Router.Routed<String>> answers = new ArrayList<>();
    long failures;
    long servedProduction;

    Simulation(Path temp) {
        this.temp = temp;
        this.registry = ModelRegistry.open(
                RegistryLocation.parse(temp.resolve("registry/registry.db").toString(), null), clock);
        this.store = new RegistryRollouts(registry, clock);
        this.flagsFile = temp.resolve("flags.yaml");
        writeFlags("");
        ModelLoader loader = new ModelLoader(Engines.of(List.of(new FakeEngine())), EngineOptions.defaults(), clock);
        for (int version = 1; version <= 3; version++) {
            push(loader, ENDPOINT, version);
        }
        push(loader, RULES, 1);
        registry.alias(ENDPOINT, 1, ModelRegistry.PRODUCTION, "alice", "first production");
        registry.alias(RULES, 1, ModelRegistry.PRODUCTION, "alice", "rules fallback");
        behaviours.put(ENDPOINT + ":1", Behaviour.GOOD);
        behaviours.put(ENDPOINT + ":2", Behaviour.GOOD);
        behaviours.put(ENDPOINT + ":3", Behaviour.GOOD);
        behaviours.put(RULES + ":1", new Behaviour(0, 0.5, 0, 0, 0));
        this.policy = EndpointPolicy.of(null, null, List.of("primary", RULES), 250L, null, null, null);
        build("sim-a");
    }

    private void push(ModelLoader loader, String name, int version) {
        Path source = FakeModels.write(
                temp.resolve("src-" + name + "-" + version), name, 1, new float[] {0.5f, -1.25f, 2f}, version * 0.1f);
        registry.push(source, new PushOptions("alice", null, null, null), loader, PushListener.NONE);
    }

    /** Builds the in-memory side (router, observations, controller) as a starting process would. */
    void build(String instance) {
        observations = new Observations(clock);
        flagProvider = new FileFlagProvider(flagsFile);
        flags = new Flags(flagProvider);
        router =
                new Router(Map.of(ENDPOINT, policy), observations, flags, clock, clock, Runnable::run, ServerLoad.NONE);
        controller = new RolloutController(
                store,
                observations,
                (model, version) -> VersionStatus.State.READY,
                flags,
                router::apply,
                this::serveProduction,
                clock,
                instance,
                TICK.multipliedBy(3));
        serveProduction();
        router.applyAll(store.all().stream().map(RolloutStore.Stored::table).toList());
    }

    /** What a serving process does on a registry sync: requests without a version go to the production alias. */
    void serveProduction() {
        servedProduction = registry.version(ENDPOINT, ModelRegistry.PRODUCTION).version();
    }

    /** Simulates {@code kill -9} and a restart: everything in memory is gone; the registry remains. */
    void restart(String instance) {
        router.close();
        flags.close();
        build(instance);
    }

    void writeFlags(String yaml) {
        try {
            java.nio.file.Files.writeString(flagsFile, yaml);
            java.nio.file.Files.setLastModifiedTime(
                    flagsFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + yaml.length()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (flagProvider != null) {
            flagProvider.refresh();
        }
    }

    RolloutStore.Stored start(long candidate, RolloutPlan plan) {
        return controller.start(ENDPOINT, candidate, plan, null, "alice", "simulation");
    }

    /** Sends {@code count} requests with random truck keys, then lets the clock reach the next tick and ticks. */
    void tick(int count) {
        Instant next = clock.instant().plus(TICK);
        traffic(count);
        if (clock.instant().isBefore(next)) {
            clock.advance(Duration.between(clock.instant(), next));
        }
        controller.tick();
    }

    void traffic(int count) {
        for (int i = 0; i < count; i++) {
            send("TRK-" + random.nextInt(20_000));
        }
    }

    void send(@Nullable String key) {
        double signal = (key == null ? random.nextDouble() : Buckets.of("signal", key) / (double) Buckets.COUNT);
        router.route(
                        new Router.Request(ENDPOINT, key, null, Long.MAX_VALUE),
                        (model, version, deadline) -> call(model, version, signal))
                .whenComplete((routed, failure) -> {
                    if (failure != null) {
                        failures++;
                    } else {
                        answers.add(routed);
                    }
                });
    }

    /** Ticks with steady traffic until the rollout ends or {@code maxTicks} pass; returns the final state. */
    RolloutStore.Stored run(int perTick, int maxTicks) {
        for (int i = 0; i < maxTicks; i++) {
            tick(perTick);
            if (!stored().rollout().phase().active()) {
                break;
            }
        }
        return stored();
    }

    RolloutStore.Stored stored() {
        return store.find(ENDPOINT).orElseThrow();
    }

    /** A scripted model: its score is a function of the request (plus a little noise of its own). */
    private CompletableFuture<Answer<String>> call(String model, @Nullable Long version, double signal) {
        long resolved = version != null
                ? version
                : model.equals(ENDPOINT)
                        ? servedProduction
                        : registry.version(model, ModelRegistry.PRODUCTION).version();
        Behaviour behaviour = behaviours.get(model + ":" + resolved);
        if (behaviour == null) {
            return CompletableFuture.failedFuture(SlipwayException.modelNotFound(model, Long.toString(resolved)));
        }
        double latency = random.nextDouble() < behaviour.slowShare() ? behaviour.slowMs() : behaviour.latencyMs();
        latency *= 0.75 + random.nextDouble() * 0.5;
        clock.advance(Duration.ofNanos((long) (latency * 1_000_000)));
        if (random.nextDouble() < behaviour.errorRate()) {
            return CompletableFuture.failedFuture(
                    new SlipwayException(ErrorCode.ENGINE_FAILURE, model + ":" + resolved + " failed"));
        }
        double noise = (random.nextDouble() - 0.5) * 0.02;
        double score = Math.min(1, Math.max(0, signal * signal + noise + behaviour.scoreShift()));
        return CompletableFuture.completedFuture(
                new Answer<>(model + ":" + resolved, model, resolved, new double[] {score}, 0.5));
    }

    @Override
    public void close() {
        router.close();
        flags.close();
    }
}
