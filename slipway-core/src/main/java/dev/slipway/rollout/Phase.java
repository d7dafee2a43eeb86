package dev.slipway.rollout;

/** Where a rollout is. */
public enum Phase {
    /** Started; waiting for the candidate to load before any traffic reaches it. */
    PENDING,
    /** The candidate answers copies of live traffic; its answers are compared, never returned. */
    SHADOW,
    /** The candidate serves a share of live traffic, step by step. */
    CANARY,
    /** An A/B test is running: every arm serves its share; the report is refreshed each tick. */
    EXPERIMENT,
    /** The candidate became the production version. */
    PROMOTED,
    /** A check failed (or an operator rolled back); all traffic is back on the primary. */
    ROLLED_BACK,
    /** An operator stopped it; all traffic is back on the primary. */
    ABORTED;

    /** Whether the controller still works on it. */
    public boolean active() {
        return this == PENDING || this == SHADOW || this == CANARY || this == EXPERIMENT;
    }
}
