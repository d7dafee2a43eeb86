package dev.slipway.rollout;

import dev.slipway.api.Ticker;
import dev.slipway.trace.Spans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The request path of progressive delivery. Picks the variant from the endpoint's routing table (hash of the routing
 * key; a pin or a segment flag overrides it), runs it through its circuit breaker and time limiter, falls through the
 * endpoint's fallback chain when it fails on the server's side, records what each variant did in the current
 * observation window, and sends a shadow copy off the request path. Endpoints with neither a split table nor a
 * fallback chain take a direct path that costs one map lookup.
 */
public final class Router implements AutoCloseable {
    /** The variant of an answer given by the fallback chain. */
    public static final String FALLBACK = "fallback";

    /** The variant of an answer from a version pinned by the caller. */
    public static final String PINNED = "pinned";

    /** The variant of an answer routed by a segment flag to a version. */
    public static final String SEGMENT = "segment";

    /** Runs one request on any model version. */
    @FunctionalInterface
    public interface Call<R> {
        /**
         * Runs the request.
         *
         * @param model the model
         * @param version the version; none for the model's production version
         * @param deadlineNanos the ticker time after which the work is dropped
         */
        CompletableFuture<Answer<R>> run(String model, @Nullable Long version, long deadlineNanos);
    }

    /**
     * What routing needs to know of a request.
     *
     * @param endpoint the model name called
     * @param routingKey the routing key, or none (a random one is drawn)
     * @param pinned a version the caller pinned (already authorised), or none
     * @param deadlineNanos the request's deadline on the ticker
     */
    public record Request(String endpoint, @Nullable String routingKey, @Nullable Long pinned, long deadlineNanos) {}

    /**
     * An answer with where it came from.
     *
     * @param answer the answer, with the model and version that gave it
     * @param variant the variant that answered: {@code primary}, {@code canary}, an arm, {@code fallback}, {@code
     *     pinned} or {@code segment}
     * @param epoch the routing table's epoch (0 without one)
     */
    public record Routed<R>(Answer<R> answer, String variant, long epoch) {
        /** The protocol response. */
        public R response() {
            return answer.response();
        }

        /** The model that answered. */
        public String model() {
            return answer.model();
        }

        /** The version that answered. */
        public long version() {
            return answer.version();
        }
    }

    private record Target(String model, @Nullable Long version) {
        String label() {
            return version == null ? model : model + ":" + version;
        }
    }

    private final Map<String, EndpointPolicy> policies;
    private final Observations observations;
    private final Flags flags;
    private final Ticker ticker;
    private final Resilience resilience;
    private final @Nullable Executor shadowExecutor;
    private final ServerLoad load;
    private final Map<String, ShadowDispatcher> shadows = new ConcurrentHashMap<>();
    private volatile Map<String, RoutingTable> tables = Map.of();

    /**
     * A router.
     *
     * @param shadowExecutor where shadow copies run; none gives each endpoint its own bounded threads
     * @param load the server's load: shadow copies are shed while more live requests than the endpoint's {@code
     *     shadow.shed-above} are in flight, or while the machine's CPU use is above {@code shadow.shed-above-cpu}
     */
    public Router(
            Map<String, EndpointPolicy> policies,
            Observations observations,
            Flags flags,
            Clock clock,
            Ticker ticker,
            @Nullable Executor shadowExecutor,
            ServerLoad load) {
        this.policies = Map.copyOf(policies);
        this.observations = observations;
        this.flags = flags;
        this.ticker = ticker;
        this.resilience = new Resilience(clock);
        this.shadowExecutor = shadowExecutor;
        this.load = load;
    }

    /** Applies a routing table unless a newer one of the endpoint is in force. */
    public synchronized void apply(RoutingTable table) {
        RoutingTable current = tables.get(table.endpoint());
        if (current != null && current.epoch() > table.epoch()) {
            return;
        }
        Map<String, RoutingTable> next = new HashMap<>(tables);
        next.put(table.endpoint(), table);
        tables = Map.copyOf(next);
    }

    /** Applies every stored table (after the registry changed). */
    public void applyAll(Collection<RoutingTable> stored) {
        stored.forEach(this::apply);
    }

    /** The endpoint's routing table in force, if any. */
    public Optional<RoutingTable> table(String endpoint) {
        return Optional.ofNullable(tables.get(endpoint));
    }

    /** Every routing table in force. */
    public Collection<RoutingTable> tables() {
        return tables.values();
    }

    /** Flag evaluations that failed and gave the coded default. */
    public long flagFailures() {
        return flags.failures();
    }

    /**
     * The state of every circuit breaker made so far, by target: {@code model:version}, or {@code model} for the
     * breaker of a model's production version.
     */
    public Map<String, String> circuitBreakers() {
        return resilience.states();
    }

    /** The endpoint's policy. */
    public EndpointPolicy policy(String endpoint) {
        return policies.getOrDefault(endpoint, EndpointPolicy.DEFAULT);
    }

    /** Routes one request; inside a {@link Spans#ROUTE} span when the request is traced. */
    public <R> CompletableFuture<Routed<R>> route(Request request, Call<R> call) {
        Span span = Spans.start(Spans.ROUTE);
        if (span == null) {
            return routeUntraced(request, call);
        }
        CompletableFuture<Routed<R>> answer;
        try (Scope scope = Spans.enter(span)) {
            answer = routeUntraced(request, call);
        } catch (RuntimeException e) {
            Spans.end(span, e);
            throw e;
        }
        return answer.whenComplete((routed, failure) -> {
            if (routed != null) {
                span.setAttribute("slipway.variant", routed.variant());
                span.setAttribute("slipway.model", routed.model());
                span.setAttribute("slipway.version", routed.version());
                span.setAttribute("slipway.routing_epoch", routed.epoch());
            }
            Spans.end(span, failure);
        });
    }

    private <R> CompletableFuture<Routed<R>> routeUntraced(Request request, Call<R> call) {
        String endpoint = request.endpoint();
        RoutingTable table = tables.get(endpoint);
        long epoch = table == null ? 0 : table.epoch();
        Long pinned = request.pinned();
        if (pinned != null) {
            return call.run(endpoint, pinned, request.deadlineNanos())
                    .thenApply(answer -> routed(answer, PINNED, epoch));
        }
        EndpointPolicy policy = policy(endpoint);
        boolean split = table != null && table.split();
        if (!split && !policy.configured()) {
            return call.run(endpoint, null, request.deadlineNanos())
                    .thenApply(answer -> routed(answer, RoutingTable.PRIMARY, epoch));
        }
        List<Target> chain = chain(endpoint, table, policy);
        if (policy.configured() && flags.forceFallback(endpoint)) {
            List<Target> elsewhere = chain.stream()
                    .filter(target -> !target.model().equals(endpoint))
                    .toList();
            return fallThrough(
                    call, elsewhere.isEmpty() ? chain : elsewhere, null, request.deadlineNanos(), policy, epoch, null);
        }
        if (!split) {
            return attempt(call, new Target(endpoint, null), RoutingTable.PRIMARY, chain, request, policy, epoch, null);
        }
        return routeSplit(request, call, Objects.requireNonNull(table), chain, policy);
    }

    private <R> CompletableFuture<Routed<R>> routeSplit(
            Request request, Call<R> call, RoutingTable table, List<Target> chain, EndpointPolicy policy) {
        String endpoint = request.endpoint();
        String key = request.routingKey();
        boolean keyed = key != null && !key.isEmpty();
        String unit = key != null && keyed
                ? key
                : Long.toHexString(ThreadLocalRandom.current().nextLong());
        RoutingTable.Arm arm = table.arm(Buckets.of(table.salt(), unit));
        String variant = arm.variant();
        long version = arm.version();
        if (keyed) {
            Optional<String> segment = flags.route(endpoint, unit);
            if (segment.isPresent()) {
                String value = segment.get();
                if (value.startsWith("version:")) {
                    Long flagged = parseVersion(value.substring("version:".length()));
                    if (flagged != null) {
                        variant = SEGMENT;
                        version = flagged;
                    }
                } else {
                    Optional<RoutingTable.Arm> named = table.variant(value);
                    if (named.isPresent()) {
                        variant = named.get().variant();
                        version = named.get().version();
                    }
                }
            }
        }
        Window window = observations.window(endpoint, table.epoch());
        VariantWindow observed = window.variant(variant);
        observed.exposed(unitHash(unit), keyed);
        Target target = new Target(endpoint, version);
        long start = ticker.nanos();
        CompletableFuture<Routed<R>> answer =
                attempt(call, target, variant, chain, request, policy, table.epoch(), observed);
        RoutingTable.Shadow shadow = table.shadow();
        if (shadow != null && RoutingTable.PRIMARY.equals(variant)) {
            answer.thenAccept(routed -> {
                if (routed.variant().equals(RoutingTable.PRIMARY)
                        && Buckets.of(table.salt() + "#shadow", unit) < shadow.sample()
                        && flags.shadow(endpoint)) {
                    copy(call, endpoint, shadow.version(), window, policy, routed, ticker.nanos() - start);
                }
            });
        }
        return answer;
    }

    /** Runs a target; on a failure that is the version's fault, falls through the chain. */
    private <R> CompletableFuture<Routed<R>> attempt(
            Call<R> call,
            Target target,
            String variant,
            List<Target> chain,
            Request request,
            EndpointPolicy policy,
            long epoch,
            @Nullable VariantWindow observed) {
        long start = ticker.nanos();
        CompletableFuture<Answer<R>> first = resilience.call(
                target.label(),
                policy,
                start,
                ticker,
                () -> call.run(target.model(), target.version(), request.deadlineNanos()));
        return first.handle((answer, failure) -> {
                    if (failure == null) {
                        if (observed != null) {
                            observed.answered(ticker.nanos() - start, answer.scores(), answer.threshold());
                        }
                        return CompletableFuture.completedFuture(routed(answer, variant, epoch));
                    }
                    if (!Resilience.countsAgainst(failure) || chain.isEmpty()) {
                        if (observed != null) {
                            observed.failed(false);
                        }
                        return CompletableFuture.<Routed<R>>failedFuture(Resilience.asSlipway(failure, target.label()));
                    }
                    return fallThrough(call, chain, target, request.deadlineNanos(), policy, epoch, failure)
                            .whenComplete((routed, last) -> {
                                if (observed != null) {
                                    observed.failed(last == null);
                                }
                            });
                })
                .thenCompose(future -> future);
    }

    /** Tries the chain's targets in order, skipping the one that failed, while the deadline allows. */
    private <R> CompletableFuture<Routed<R>> fallThrough(
            Call<R> call,
            List<Target> chain,
            @Nullable Target failed,
            long deadlineNanos,
            EndpointPolicy policy,
            long epoch,
            @Nullable Throwable cause) {
        List<Target> remaining = new ArrayList<>(chain);
        if (failed != null) {
            remaining.removeIf(target -> same(target, failed));
        }
        return next(call, remaining, 0, deadlineNanos, policy, epoch, cause, failed);
    }

    private <R> CompletableFuture<Routed<R>> next(
            Call<R> call,
            List<Target> chain,
            int index,
            long deadlineNanos,
            EndpointPolicy policy,
            long epoch,
            @Nullable Throwable cause,
            @Nullable Target first) {
        if (index >= chain.size() || ticker.nanos() >= deadlineNanos) {
            Throwable failure = cause != null
                    ? cause
                    : new dev.slipway.api.SlipwayException(
                            dev.slipway.api.ErrorCode.MODEL_NOT_READY, "no fallback of this endpoint could answer");
            return CompletableFuture.failedFuture(
                    Resilience.asSlipway(failure, first == null ? "fallback chain" : first.label()));
        }
        Target target = chain.get(index);
        long start = ticker.nanos();
        return resilience
                .call(
                        target.label(),
                        policy,
                        start,
                        ticker,
                        () -> call.run(target.model(), target.version(), deadlineNanos))
                .handle((answer, failure) -> failure == null
                        ? CompletableFuture.completedFuture(routed(answer, FALLBACK, epoch))
                        : Resilience.countsAgainst(failure)
                                ? next(
                                        call,
                                        chain,
                                        index + 1,
                                        deadlineNanos,
                                        policy,
                                        epoch,
                                        cause != null ? cause : failure,
                                        first)
                                : CompletableFuture.<Routed<R>>failedFuture(
                                        Resilience.asSlipway(failure, target.label())))
                .thenCompose(future -> future);
    }

    private <R> void copy(
            Call<R> call,
            String endpoint,
            long version,
            Window window,
            EndpointPolicy policy,
            Routed<R> primary,
            long primaryNanos) {
        ShadowDispatcher dispatcher = shadows.computeIfAbsent(
                endpoint,
                e -> shadowExecutor == null
                        ? ShadowDispatcher.threads(policy.shadow())
                        : ShadowDispatcher.on(
                                shadowExecutor,
                                policy.shadow().threads() + policy.shadow().queue()));
        Answer<R> primaryAnswer = primary.answer();
        if (load.inFlight(endpoint) > policy.shadow().shedAbove()
                || load.cpu() > policy.shadow().shedAboveCpu()) {
            window.shadow().shed();
            return;
        }
        boolean offered = dispatcher.offer(() -> {
            long start = ticker.nanos();
            return call.run(endpoint, version, start + policy.shadow().timeoutMs() * 1_000_000)
                    .whenComplete((answer, failure) -> {
                        if (failure != null) {
                            window.shadow().failed();
                        } else {
                            window.shadow().paired(primaryAnswer, answer, primaryNanos, ticker.nanos() - start);
                        }
                    });
        });
        if (!offered) {
            window.shadow().shed();
        }
    }

    private <R> Routed<R> routed(Answer<R> answer, String variant, long epoch) {
        return new Routed<>(answer, variant, epoch);
    }

    private static List<Target> chain(String endpoint, @Nullable RoutingTable table, EndpointPolicy policy) {
        List<Target> chain = new ArrayList<>();
        for (String entry : policy.fallback()) {
            if (entry.equals("primary")) {
                chain.add(new Target(endpoint, table == null || !table.split() ? null : table.primaryVersion()));
            } else {
                int colon = entry.indexOf(':');
                chain.add(
                        colon < 0
                                ? new Target(entry, null)
                                : new Target(entry.substring(0, colon), Long.parseLong(entry.substring(colon + 1))));
            }
        }
        return chain;
    }

    private static boolean same(Target a, Target b) {
        return a.model().equals(b.model()) && Objects.equals(a.version(), b.version());
    }

    private static @Nullable Long parseVersion(String text) {
        try {
            long version = Long.parseLong(text.strip());
            return version >= 1 ? version : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long unitHash(String unit) {
        return ((long) unit.hashCode() << 32) | (Buckets.of("unit", unit) & 0xffffffffL);
    }

    @Override
    public void close() {
        shadows.values().forEach(ShadowDispatcher::close);
        resilience.close();
    }
}
