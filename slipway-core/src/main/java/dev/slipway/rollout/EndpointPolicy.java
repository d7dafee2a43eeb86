package dev.slipway.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How an endpoint is served beyond its routing table, from {@code endpoints.<name>} in {@code slipway.yaml}:
 *
 * <pre>
 * endpoints:
 *   stall-detector:
 *     routing-key: {header: X-Truck-Id, parameter: truck_id}
 *     fallback: [primary, stall-rules]      # tried in order when the routed version fails or times out
 *     timeout-ms: 250                       # per call (Resilience4j time limiter), within the request's deadline
 *     circuit-breaker: {failure-rate: 50, minimum-calls: 20, window: 100, open-for: PT30S, half-open-calls: 5}
 *     shadow: {threads: 1, queue: 64, timeout-ms: 1000}
 *     rollout: {steps: [{weight: 5, bake: PT5M, min-requests: 500}]}   # the default plan
 * </pre>
 *
 * @param routingKey where the routing key is read from
 * @param salt the routing salt for every rollout of this endpoint; none gives each rollout its own
 * @param fallback the fallback chain: {@code primary} (the routing table's primary version), {@code <model>} (its
 *     production version) or {@code <model>:<version>}
 * @param timeoutMs the most one call may take before the next in the chain is tried
 * @param circuitBreaker the breaker each version gets
 * @param shadow how shadow copies are run
 * @param rollout the plan {@code slipway rollout start} uses when given none and the candidate declares none
 */
public record EndpointPolicy(
        RoutingKey routingKey,
        @Nullable String salt,
        List<String> fallback,
        long timeoutMs,
        Breaker circuitBreaker,
        ShadowRunner shadow,
        @Nullable RolloutPlan rollout) {
    private static final Pattern FALLBACK =
            Pattern.compile("primary|[A-Za-z0-9][A-Za-z0-9._-]{0,63}(:[1-9][0-9]{0,17})?");

    /** The policy of an endpoint without configuration. */
    public static final EndpointPolicy DEFAULT = of(null, null, null, null, null, null, null);

    public EndpointPolicy {
        fallback = List.copyOf(fallback);
    }

    /** A policy from its file form. */
    @JsonCreator
    public static EndpointPolicy of(
            @JsonProperty("routing-key") @Nullable RoutingKey routingKey,
            @JsonProperty("salt") @Nullable String salt,
            @JsonProperty("fallback") @Nullable List<String> fallback,
            @JsonProperty("timeout-ms") @Nullable Long timeoutMs,
            @JsonProperty("circuit-breaker") @Nullable Breaker circuitBreaker,
            @JsonProperty("shadow") @Nullable ShadowRunner shadow,
            @JsonProperty("rollout") @Nullable RolloutPlan rollout) {
        return new EndpointPolicy(
                routingKey == null ? RoutingKey.of(null, null) : routingKey,
                salt,
                fallback == null ? List.of() : fallback,
                timeoutMs == null ? 1000L : timeoutMs,
                circuitBreaker == null ? Breaker.of(null, null, null, null, null) : circuitBreaker,
                shadow == null ? ShadowRunner.of(null, null, null, null, null) : shadow,
                rollout);
    }

    /**
     * Where the routing key comes from: a request parameter (V2 {@code parameters}) or a header (HTTP header, gRPC
     * metadata); the parameter wins when both are present. A request with neither gets a random key.
     *
     * @param header the header name
     * @param parameter the request parameter name
     */
    public record RoutingKey(String header, String parameter) {
        /** A routing key source from its file form. */
        @JsonCreator
        public static RoutingKey of(
                @JsonProperty("header") @Nullable String header,
                @JsonProperty("parameter") @Nullable String parameter) {
            return new RoutingKey(
                    header == null ? "Slipway-Routing-Key" : header, parameter == null ? "routing_key" : parameter);
        }
    }

    /**
     * A Resilience4j circuit breaker per model version.
     *
     * @param failureRate percent of failed calls in the window that opens it
     * @param minimumCalls calls before a rate is computed
     * @param window calls in the sliding window
     * @param openFor how long it stays open before letting probes through
     * @param halfOpenCalls probes allowed while half-open
     */
    public record Breaker(double failureRate, int minimumCalls, int window, Duration openFor, int halfOpenCalls) {
        /** Breaker settings from their file form. */
        @JsonCreator
        public static Breaker of(
                @JsonProperty("failure-rate") @Nullable Double failureRate,
                @JsonProperty("minimum-calls") @Nullable Integer minimumCalls,
                @JsonProperty("window") @Nullable Integer window,
                @JsonProperty("open-for") @Nullable Duration openFor,
                @JsonProperty("half-open-calls") @Nullable Integer halfOpenCalls) {
            return new Breaker(
                    failureRate == null ? 50.0 : failureRate,
                    minimumCalls == null ? 20 : minimumCalls,
                    window == null ? 100 : window,
                    openFor == null ? Duration.ofSeconds(30) : openFor,
                    halfOpenCalls == null ? 5 : halfOpenCalls);
        }
    }

    /**
     * How shadow copies run: on their own threads with a bounded queue, so a copy never delays the primary and is
     * dropped (counted as shed) when the queue is full.
     *
     * @param threads threads running copies
     * @param queue copies waiting at most
     * @param timeoutMs the most a copy may take
     * @param shedAbove live requests in flight on the endpoint's serving version above which no copy is made, so
     *     shadow work is the first thing shed when live traffic piles up
     * @param shedAboveCpu the machine's CPU use (0..1) above which no copy is made, so copies never take CPU that
     *     live requests need; 1 (the default) never sheds for CPU
     */
    public record ShadowRunner(int threads, int queue, long timeoutMs, int shedAbove, double shedAboveCpu) {
        /** Shadow settings from their file form. */
        @JsonCreator
        public static ShadowRunner of(
                @JsonProperty("threads") @Nullable Integer threads,
                @JsonProperty("queue") @Nullable Integer queue,
                @JsonProperty("timeout-ms") @Nullable Long timeoutMs,
                @JsonProperty("shed-above") @Nullable Integer shedAbove,
                @JsonProperty("shed-above-cpu") @Nullable Double shedAboveCpu) {
            return new ShadowRunner(
                    threads == null ? 1 : threads,
                    queue == null ? 64 : queue,
                    timeoutMs == null ? 1000L : timeoutMs,
                    shedAbove == null ? 32 : shedAbove,
                    shedAboveCpu == null ? 1.0 : shedAboveCpu);
        }
    }

    /** Whether the endpoint needs the routed path even without a rollout (a fallback chain to honour). */
    public boolean configured() {
        return !fallback.isEmpty();
    }

    /** Every problem, each naming the key under {@code path}, the value and what was expected. */
    public List<String> problems(String path) {
        List<String> problems = new ArrayList<>();
        if (routingKey.header().isBlank() || routingKey.parameter().isBlank()) {
            problems.add(path + ".routing-key: " + routingKey + " (expected: a header and a parameter name)");
        }
        for (int i = 0; i < fallback.size(); i++) {
            if (!FALLBACK.matcher(fallback.get(i)).matches()) {
                problems.add(path + ".fallback[" + i + "]: '" + fallback.get(i)
                        + "' (expected: primary, <model> or <model>:<version>)");
            }
        }
        if (timeoutMs < 1 || timeoutMs > 600_000) {
            problems.add(path + ".timeout-ms: " + timeoutMs + " (expected: 1..600000)");
        }
        Breaker b = circuitBreaker;
        if (!(b.failureRate() > 0 && b.failureRate() <= 100)) {
            problems.add(path + ".circuit-breaker.failure-rate: " + b.failureRate() + " (expected: percent, >0..100)");
        }
        if (b.minimumCalls() < 1 || b.window() < 1 || b.halfOpenCalls() < 1) {
            problems.add(path + ".circuit-breaker: minimum-calls " + b.minimumCalls() + ", window " + b.window()
                    + ", half-open-calls " + b.halfOpenCalls() + " (expected: each >= 1)");
        }
        if (b.openFor().isNegative() || b.openFor().isZero()) {
            problems.add(path + ".circuit-breaker.open-for: " + b.openFor() + " (expected: a positive duration)");
        }
        if (shadow.threads() < 1
                || shadow.threads() > 64
                || shadow.queue() < 0
                || shadow.timeoutMs() < 1
                || shadow.shedAbove() < 0
                || !(shadow.shedAboveCpu() > 0 && shadow.shedAboveCpu() <= 1)) {
            problems.add(path + ".shadow: " + shadow
                    + " (expected: threads 1..64, queue >= 0, timeout-ms >= 1, shed-above >= 0,"
                    + " shed-above-cpu >0..1)");
        }
        if (rollout != null) {
            problems.addAll(rollout.problems(path + ".rollout"));
        }
        return problems;
    }
}
