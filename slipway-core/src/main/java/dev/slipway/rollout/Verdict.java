package dev.slipway.rollout;

/** The outcome of a check or a judgement. */
public enum Verdict {
    /** Enough evidence, and none of harm. */
    PASS,
    /** Evidence of harm. */
    FAIL,
    /** Not enough evidence either way: too few requests, or the step is still baking. */
    INSUFFICIENT
}
