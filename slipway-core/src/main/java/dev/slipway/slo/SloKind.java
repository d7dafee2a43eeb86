package dev.slipway.slo;

import java.util.Locale;

/** The two objectives a manifest's {@code slo} states. */
public enum SloKind {
    /** Bad events are failed requests ({@link Outcome#SERVER_ERROR}); the budget is {@code max-error-rate}. */
    AVAILABILITY,
    /** Bad events are requests slower than {@code p99-latency-ms}; the budget is 1 %. */
    LATENCY;

    /** The value of the {@code slo} label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
