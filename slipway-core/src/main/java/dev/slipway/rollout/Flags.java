package dev.slipway.rollout;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The flags Slipway consults, through the OpenFeature SDK (an isolated API instance per server, so tests and
 * embedded servers never share one). Evaluation never throws: a failure gives the coded default and is counted; an
 * unset flag is not a failure.
 *
 * <ul>
 *   <li>{@code shadow.<endpoint>} (default true): copy traffic to the shadow
 *   <li>{@code rollout-freeze.<endpoint>} (default false): the controller holds the rollout
 *   <li>{@code force-fallback.<endpoint>} (default false): the kill switch, answer from the fallback chain
 *   <li>{@code route.<endpoint>} (string, default ""): per routing-key segment, a variant or {@code version:N}
 * </ul>
 */
public final class Flags implements AutoCloseable {
    private final OpenFeatureAPI api;
    private final Client client;
    private final LongAdder failures = new LongAdder();

    /** Flags from a provider. */
    public Flags(FeatureProvider provider) {
        this.api = OpenFeatureAPI.createIsolated();
        api.setProviderAndWait(provider);
        this.client = api.getClient();
    }

    /** No flags set: every evaluation gives its default. */
    public static Flags none() {
        return new Flags(new NoOpProvider());
    }

    /** Whether the endpoint's shadow gets copies. */
    public boolean shadow(String endpoint) {
        return bool("shadow." + endpoint, true);
    }

    /** Whether the endpoint's rollout is frozen where it is. */
    public boolean frozen(String endpoint) {
        return bool("rollout-freeze." + endpoint, false);
    }

    /** Whether the endpoint answers from its fallback chain (the kill switch). */
    public boolean forceFallback(String endpoint) {
        return bool("force-fallback." + endpoint, false);
    }

    /** The route for a routing key's segment: a variant name or {@code version:N}; empty for normal routing. */
    public Optional<String> route(String endpoint, String routingKey) {
        FlagEvaluationDetails<String> details =
                client.getStringDetails("route." + endpoint, "", new ImmutableContext(routingKey));
        count(details);
        String value = details.getValue();
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** Evaluations that failed (provider error, type mismatch) and gave the coded default. */
    public long failures() {
        return failures.sum();
    }

    private boolean bool(String key, boolean defaultValue) {
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails(key, defaultValue);
        count(details);
        Boolean value = details.getValue();
        return value == null ? defaultValue : value;
    }

    private void count(FlagEvaluationDetails<?> details) {
        ErrorCode code = details.getErrorCode();
        if (code != null && code != ErrorCode.FLAG_NOT_FOUND) {
            failures.increment();
        }
    }

    @Override
    public void close() {
        api.shutdown();
    }
}
