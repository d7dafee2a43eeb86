package dev.slipway.slo;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.manifest.SloSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One objective: which events are bad, and the share of them the error budget allows.
 *
 * @param kind availability or latency
 * @param budget the allowed share of bad events, as an exact decimal ({@code 0.001})
 * @param latencyThresholdSeconds for latency: a request slower than this is bad; the latency histogram must have a
 *     bucket boundary exactly here. {@code null} for availability
 */
public record Objective(SloKind kind, BigDecimal budget, @Nullable BigDecimal latencyThresholdSeconds) {
    /** The budget of a latency objective stated as a p99: 1 % of requests may be slower. */
    public static final BigDecimal P99_BUDGET = new BigDecimal("0.01");

    public Objective {
        requireNonNull(kind, "kind");
        requireNonNull(budget, "budget");
        if (budget.signum() < 0 || budget.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("budget: " + budget + " (expected: 0..1)");
        }
        if ((kind == SloKind.LATENCY) != (latencyThresholdSeconds != null)) {
            throw new IllegalArgumentException("latencyThresholdSeconds: only and always for a latency objective");
        }
    }

    /** The objectives a manifest states: availability from {@code max-error-rate}, latency from {@code p99-latency-ms}. */
    public static List<Objective> of(SloSpec spec) {
        List<Objective> out = new ArrayList<>();
        if (spec.maxErrorRate() != null) {
            out.add(new Objective(SloKind.AVAILABILITY, decimal(spec.maxErrorRate()), null));
        }
        if (spec.p99LatencyMs() != null) {
            BigDecimal seconds = decimal(spec.p99LatencyMs()).movePointLeft(3).stripTrailingZeros();
            out.add(new Objective(SloKind.LATENCY, P99_BUDGET, seconds));
        }
        return out;
    }

    /** The error-ratio limit of a burn rate: {@code burnRate * budget}, computed exactly, then as the nearest double. */
    public BigDecimal limit(BigDecimal burnRate) {
        return burnRate.multiply(budget).stripTrailingZeros();
    }

    /** The objective as a target, {@code 1 - budget} ({@code 0.999}). */
    public BigDecimal target() {
        return BigDecimal.ONE.subtract(budget);
    }

    private static BigDecimal decimal(double value) {
        // the manifest's literal, not the binary expansion of the double (0.001, not 0.001000000000000000020816...)
        return new BigDecimal(Double.toString(value)).stripTrailingZeros();
    }
}
