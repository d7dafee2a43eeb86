package dev.slipway.inference;

/** The life of a model version in a serving process. */
public enum ModelState {
    /** Being loaded, checked and warmed up; not yet serving. */
    LOADING,
    /** Serving requests. */
    READY,
    /** Refused: its manifest, artifact, signature or parity gate failed. The reason says which. */
    FAILED,
    /** Draining in-flight requests before its engine is closed. */
    UNLOADING,
    /** Unloaded on request; known, not serving. */
    UNAVAILABLE
}
