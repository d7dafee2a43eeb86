package dev.slipway.server;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.security.Principal;
import dev.slipway.security.Role;
import dev.slipway.security.TokenStore;
import org.jspecify.annotations.Nullable;

/**
 * Who may call what, shared by the REST and gRPC adapters. Health checks are always open; inference and metadata are
 * open unless {@code security.inference: reader}; managing models needs an operator (archiving, an admin). With no
 * tokens configured and the server bound to loopback only, management is open too (a developer's machine); bound to
 * any other address without tokens, it is refused.
 */
public final class Access {
    /** What a call needs. */
    public enum Need {
        /** Nothing: health checks. */
        NOTHING,
        /** Inference, metadata, statistics. */
        INFERENCE,
        /** Reading the registry, pushing, aliases, load and unload. */
        OPERATOR,
        /** Archiving. */
        ADMIN
    }

    private final TokenStore tokens;
    private final boolean inferenceProtected;
    private final boolean openManagement;

    /** Access rules for these tokens; {@code loopbackOnly} when the server listens on 127.0.0.1/::1 only. */
    public Access(TokenStore tokens, boolean inferenceProtected, boolean loopbackOnly) {
        this.tokens = tokens;
        this.inferenceProtected = inferenceProtected;
        this.openManagement = tokens.isEmpty() && loopbackOnly;
    }

    /** Everything open: for embedding and tests. */
    public static Access open() {
        return new Access(TokenStore.empty(), false, true);
    }

    /**
     * Checks a call.
     *
     * @param authorization the {@code Authorization} header (or gRPC metadata) value, if any
     * @return who is calling
     * @throws SlipwayException {@code UNAUTHENTICATED} without a valid token, {@code PERMISSION_DENIED} when the token's
     *     role does not allow the call
     */
    public Principal check(Need need, @Nullable String authorization) {
        if (need == Need.NOTHING || (need == Need.INFERENCE && !inferenceProtected)) {
            return authorization == null
                    ? Principal.ANONYMOUS
                    : identify(authorization).orElse(Principal.ANONYMOUS);
        }
        if (openManagement && need != Need.INFERENCE) {
            return authorization == null
                    ? Principal.ANONYMOUS
                    : identify(authorization).orElse(Principal.ANONYMOUS);
        }
        if (authorization == null) {
            throw new SlipwayException(
                    ErrorCode.UNAUTHENTICATED, "missing bearer token (expected: Authorization: Bearer <token>)");
        }
        Principal principal = identify(authorization)
                .orElseThrow(() -> new SlipwayException(ErrorCode.UNAUTHENTICATED, "the bearer token is not valid"));
        Role required =
                switch (need) {
                    case ADMIN -> Role.ADMIN;
                    case OPERATOR -> Role.OPERATOR;
                    default -> Role.READER;
                };
        if (!principal.role().allows(required)) {
            throw new SlipwayException(
                    ErrorCode.PERMISSION_DENIED,
                    "'" + principal.name() + "' is a " + principal.role().name().toLowerCase(java.util.Locale.ROOT)
                            + " (expected: " + required.name().toLowerCase(java.util.Locale.ROOT) + " or above)");
        }
        return principal;
    }

    private java.util.Optional<Principal> identify(String authorization) {
        String value = authorization.strip();
        if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new SlipwayException(
                    ErrorCode.UNAUTHENTICATED, "Authorization header is not a bearer token (expected: Bearer <token>)");
        }
        return tokens.authenticate(value.substring(7).strip());
    }
}
