package dev.slipway.api.manifest;

/** What an output's values mean. */
public enum OutputKind {
    /** A probability in [0, 1]; may carry a decision threshold. */
    PROBABILITY,
    /** An unbounded score or margin. */
    SCORE,
    /** A predicted quantity (regression). */
    VALUE,
    /** A class label or code. */
    LABEL
}
