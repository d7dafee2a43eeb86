package dev.slipway.slo;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One burn-rate alert of one objective, as of the last evaluation.
 *
 * @param slo the objective's kind
 * @param rule the rule
 * @param firing whether both windows exceed the rule's burn rate
 * @param longBurnRate the burn rate over the long window
 * @param shortBurnRate the burn rate over the short window
 * @param since when the alert last changed between firing and resolved (the monitor's start at first)
 */
public record AlertState(
        SloKind slo, BurnRateRule rule, boolean firing, double longBurnRate, double shortBurnRate, Instant since) {
    public AlertState {
        requireNonNull(slo, "slo");
        requireNonNull(rule, "rule");
        requireNonNull(since, "since");
    }
}
