package dev.slipway.api;

/**
 * The stable codes of every failure Slipway reports. Each constant carries its HTTP status and its canonical gRPC status
 * code number, so this enum is the only mapping table between protocols; no adapter keeps its own.
 */
public enum ErrorCode {
    /**
     * The request is malformed, or its tensors or features break the model's data contract (wrong shape, type, range,
     * unknown category), whatever the server's state. Not for a request that is well formed but too big: see {@link
     * #PAYLOAD_TOO_LARGE}.
     */
    INVALID_INPUT(400, 3),
    /** The request body, row count or tensor element count exceeds a configured limit. */
    PAYLOAD_TOO_LARGE(413, 8),
    /** The model, or the requested version of a known model, is not registered. */
    MODEL_NOT_FOUND(404, 5),
    /** No route matches the request path (REST only). Not for unknown models: see {@link #MODEL_NOT_FOUND}. */
    ROUTE_NOT_FOUND(404, 12),
    /** The path exists but not for this HTTP method (REST only). */
    METHOD_NOT_ALLOWED(405, 12),
    /** Registering something that already exists, such as a model version. */
    ALREADY_EXISTS(409, 6),
    /** The operation is illegal in the current state, such as promoting an aborted rollout. */
    CONFLICT(409, 9),
    /**
     * A model's outputs do not match its golden examples within tolerance, or its signature does not match its
     * contract. Used when a version is validated or pushed; a server that meets it while loading marks the version
     * FAILED instead of throwing.
     */
    PARITY_MISMATCH(422, 9),
    /** The model is registered but loading, unloading or failed, or the server is not ready yet. */
    MODEL_NOT_READY(503, 14),
    /** An admission limit or queue is full; the caller should retry later. */
    OVERLOADED(429, 8),
    /** The work ran past the caller's deadline and was abandoned. */
    DEADLINE_EXCEEDED(504, 4),
    /** The caller presented no credentials, or credentials that are not valid. */
    UNAUTHENTICATED(401, 16),
    /** The caller is known but its role does not allow the operation. */
    PERMISSION_DENIED(403, 7),
    /** A feature, datatype or protocol option that this server or engine does not support. */
    UNSUPPORTED(501, 12),
    /** The engine failed on input that passed validation. */
    ENGINE_FAILURE(500, 13),
    /** Configuration or a model manifest was rejected. At startup the CLI exits non-zero. */
    CONFIG_INVALID(500, 9),
    /** Anything unexpected. Its raw message is never shown to callers, only logged. */
    INTERNAL(500, 13);

    private final int httpStatus;
    private final int grpcCode;

    ErrorCode(int httpStatus, int grpcCode) {
        this.httpStatus = httpStatus;
        this.grpcCode = grpcCode;
    }

    /** The HTTP status a REST adapter answers with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The canonical gRPC status code number (see {@code io.grpc.Status.Code}). */
    public int grpcCode() {
        return grpcCode;
    }

    /** Whether the caller, not the server, is at fault: such errors are not logged with a stack trace. */
    public boolean clientError() {
        return httpStatus >= 400 && httpStatus < 500;
    }
}
