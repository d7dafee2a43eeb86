package dev.slipway.security;

/** What a token may do. Each role includes the ones before it. */
public enum Role {
    /** Inference and model metadata only. */
    READER,
    /** Also: read the registry, push versions, move aliases, load and unload models. */
    OPERATOR,
    /** Everything, including archiving versions. */
    ADMIN;

    /** Whether this role includes {@code needed}. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }
}
