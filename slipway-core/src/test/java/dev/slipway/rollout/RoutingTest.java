package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.SlipwayException;
import dev.slipway.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Deterministic, sticky, monotone routing. */
class RoutingTest {
    static final String SALT = "stall-detector/3";

    @Test
    void bucketsAreFnv1aOfSaltAndKeyHashedTwiceAsAnIndependentImplementationComputesThem() {
        // expected values from a 10-line Python FNV-1a implementation (see Buckets); a change of hash would silently
        // reshuffle every running rollout and experiment
        assertThat(Buckets.of(SALT, "TRK-0001")).isEqualTo(2750);
        assertThat(Buckets.of(SALT, "TRK-0002")).isEqualTo(7321);
        assertThat(Buckets.of("other", "TRK-0001")).isEqualTo(1069);
    }

    @Test
    void twoReplicasAndARestartRouteEveryKeyToTheSameArm() {
        RoutingTable table = RoutingTable.canary("stall-detector", 4, SALT, 2, 3, 2500);
        Router first = router(table);
        Router second = router(table);
        Router restarted = router(table);
        for (int i = 0; i < 2000; i++) {
            String key = "TRK-" + i;
            String variant = variant(first, key);
            assertThat(variant(second, key)).isEqualTo(variant);
            assertThat(variant(restarted, key)).isEqualTo(variant);
        }
    }

    @Test
    void theRealisedSplitMatchesTheWeightWithinFourStandardErrors() {
        SplittableRandom random = new SplittableRandom(7);
        for (int weight : new int[] {100, 500, 2500, 5000}) {
            RoutingTable table = RoutingTable.canary("e", 1, SALT, 1, 2, weight);
            int n = 100_000;
            int canary = 0;
            for (int i = 0; i < n; i++) {
                String key = Long.toHexString(random.nextLong());
                if (table.arm(Buckets.of(SALT, key)).variant().equals(RoutingTable.CANARY)) {
                    canary++;
                }
            }
            double p = weight / (double) Buckets.COUNT;
            double sigma = Math.sqrt(n * p * (1 - p));
            assertThat((double) canary).as("weight %d", weight).isBetween(n * p - 4 * sigma, n * p + 4 * sigma);
        }
    }

    @Test
    void raisingTheWeightOnlyMovesKeysFromPrimaryToCanaryAndLoweringItMovesExactlyThoseBack() {
        int[] ramp = {500, 2500, 5000, 2500, 500};
        Map<String, String> previous = new HashMap<>();
        for (int step = 0; step < ramp.length; step++) {
            RoutingTable table = RoutingTable.canary("e", step + 1, SALT, 1, 2, ramp[step]);
            Map<String, String> now = new HashMap<>();
            for (int i = 0; i < 20_000; i++) {
                String key = "TRK-" + i;
                now.put(key, table.arm(Buckets.of(SALT, key)).variant());
            }
            if (step > 0) {
                boolean raising = ramp[step] > ramp[step - 1];
                for (String key : now.keySet()) {
                    if (raising && previous.get(key).equals(RoutingTable.CANARY)) {
                        assertThat(now.get(key)).as(key).isEqualTo(RoutingTable.CANARY);
                    }
                    if (!raising && now.get(key).equals(RoutingTable.CANARY)) {
                        assertThat(previous.get(key)).as(key).isEqualTo(RoutingTable.CANARY);
                    }
                }
            }
            previous = now;
        }
    }

    @Test
    void anOlderTableNeverReplacesANewerOne() {
        Router router = router(RoutingTable.canary("e", 7, SALT, 1, 2, 500));
        router.apply(RoutingTable.single("e", 6, SALT, 1));
        assertThat(router.table("e").orElseThrow().epoch()).isEqualTo(7);
        router.apply(RoutingTable.single("e", 8, SALT, 1));
        assertThat(router.table("e").orElseThrow().split()).isFalse();
    }

    @Test
    void tablesRejectWeightsThatDoNotAddUpAndDuplicateVariants() {
        assertThatThrownBy(() -> new RoutingTable(
                        "e",
                        1,
                        SALT,
                        List.of(new RoutingTable.Arm("a", 1, 5000), new RoutingTable.Arm("b", 2, 4000)),
                        null))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining("weights sum to 9000 (expected: 10000 basis points)");
        assertThatThrownBy(() -> new RoutingTable(
                        "e",
                        1,
                        SALT,
                        List.of(new RoutingTable.Arm("a", 1, 5000), new RoutingTable.Arm("a", 2, 5000)),
                        null))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining("variant 'a'");
    }

    @Test
    void aPinnedVersionBypassesRoutingAndSaysSo() {
        Router router = router(RoutingTable.canary("e", 3, SALT, 1, 2, 5000));
        Router.Routed<String> routed = router.route(
                        new Router.Request("e", "TRK-1", 7L, Long.MAX_VALUE),
                        (model, version, deadline) -> CompletableFuture.completedFuture(
                                new Answer<>("x", model, version == null ? 0 : version, new double[0], Double.NaN)))
                .join();
        assertThat(routed.variant()).isEqualTo(Router.PINNED);
        assertThat(routed.version()).isEqualTo(7);
        assertThat(routed.epoch()).isEqualTo(3);
    }

    @Test
    void shadowCopiesAreShedFirstWhileLiveRequestsPileUpOrTheMachineIsBusy() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T09:00:00Z"));
        Observations observations = new Observations(clock);
        AtomicInteger live = new AtomicInteger();
        double[] cpu = {0.5};
        EndpointPolicy policy = EndpointPolicy.of(
                null, null, null, null, null, EndpointPolicy.ShadowRunner.of(null, null, null, 8, 0.8), null);
        List<Long> shadowCalls = new ArrayList<>();
        Router router = new Router(
                Map.of("stall-detector", policy),
                observations,
                Flags.none(),
                clock,
                clock,
                Runnable::run,
                load(live, cpu));
        RoutingTable table = RoutingTable.single("stall-detector", 4, "salt", 1)
                .withShadow(new RoutingTable.Shadow(2, Buckets.COUNT));
        router.apply(table);
        Router.Call<String> call = (model, version, deadline) -> {
            if (version != null && version == 2) {
                shadowCalls.add(version);
            }
            return CompletableFuture.completedFuture(
                    new Answer<>("x", model, version == null ? 1 : version, new double[] {0.4}, 0.5));
        };

        live.set(policy.shadow().shedAbove());
        for (int i = 0; i < 10; i++) {
            assertThat(router.route(new Router.Request("stall-detector", "TRK-" + i, null, Long.MAX_VALUE), call)
                            .join()
                            .version())
                    .isEqualTo(1);
        }
        live.incrementAndGet();
        for (int i = 10; i < 25; i++) {
            router.route(new Router.Request("stall-detector", "TRK-" + i, null, Long.MAX_VALUE), call)
                    .join();
        }
        live.set(0);
        cpu[0] = 0.85;
        for (int i = 25; i < 30; i++) {
            router.route(new Router.Request("stall-detector", "TRK-" + i, null, Long.MAX_VALUE), call)
                    .join();
        }

        assertThat(shadowCalls).hasSize(10);
        ShadowSample sample =
                observations.window("stall-detector", table.epoch()).shadow().snapshot();
        assertThat(sample.copied()).isEqualTo(10);
        assertThat(sample.shed()).isEqualTo(20);
    }

    private static ServerLoad load(AtomicInteger live, double[] cpu) {
        return new ServerLoad() {
            @Override
            public int inFlight(String endpoint) {
                return live.get();
            }

            @Override
            public double cpu() {
                return cpu[0];
            }
        };
    }

    @Test
    void aCallThatOutlivesItsTimeLimitFallsThroughTheChainInTime() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T09:00:00Z"));
        EndpointPolicy policy = EndpointPolicy.of(
                EndpointPolicy.RoutingKey.of("X-Truck-Id", "truck_id"),
                null,
                List.of("primary", "stall-rules"),
                50L,
                null,
                null,
                null);
        Router router = new Router(
                Map.of("stall-detector", policy),
                new Observations(clock),
                Flags.none(),
                clock,
                clock,
                Runnable::run,
                ServerLoad.NONE);
        CompletableFuture<Answer<String>> hanging = new CompletableFuture<>();
        Router.Call<String> call = (model, version, deadline) -> model.equals("stall-detector")
                ? hanging
                : CompletableFuture.completedFuture(new Answer<>("rules", model, 1, new double[] {0.9}, 0.5));

        long start = System.nanoTime();
        Router.Routed<String> routed = router.route(
                        new Router.Request("stall-detector", "TRK-1", null, Long.MAX_VALUE), call)
                .get(5, java.util.concurrent.TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(routed.variant()).isEqualTo(Router.FALLBACK);
        assertThat(routed.answer().model()).isEqualTo("stall-rules");
        assertThat(tookMs).as("the 50 ms limit, not the hanging call, decides").isBetween(40L, 2000L);
        assertThat(hanging).as("the timed-out call is ended").isCompletedExceptionally();
    }

    private static Router router(RoutingTable table) {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T09:00:00Z"));
        Router router = new Router(
                Map.of(), new Observations(clock), Flags.none(), clock, clock, Runnable::run, ServerLoad.NONE);
        router.apply(table);
        return router;
    }

    private static String variant(Router router, String key) {
        return router.route(
                        new Router.Request("stall-detector", key, null, Long.MAX_VALUE),
                        (model, version, deadline) -> CompletableFuture.completedFuture(
                                new Answer<>("x", model, version == null ? 0 : version, new double[0], Double.NaN)))
                .join()
                .variant();
    }
}
