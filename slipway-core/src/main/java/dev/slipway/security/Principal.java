package dev.slipway.security;

import static java.util.Objects.requireNonNull;

/**
 * Who a request comes from.
 *
 * @param name the token's name, recorded as the actor in the audit log
 * @param role what it may do
 */
public record Principal(String name, Role role) {
    /** Anyone, when a part of the API is open. */
    public static final Principal ANONYMOUS = new Principal("anonymous", Role.READER);

    public Principal {
        requireNonNull(name, "name");
        requireNonNull(role, "role");
    }
}
