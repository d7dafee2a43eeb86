package dev.slipway.cli;

import dev.slipway.api.ErrorCode;

/** The process exit code for each error code (after the BSD {@code sysexits.h} conventions). */
final class ExitCodes {
    static final int OK = 0;
    static final int PARITY_MISMATCH = 1;
    static final int USAGE = 2;
    static final int DATA = 65;
    static final int NO_INPUT = 66;
    static final int UNAVAILABLE = 69;
    static final int SOFTWARE = 70;
    static final int CONFIG = 78;

    private ExitCodes() {}

    static int of(ErrorCode code) {
        return switch (code) {
            case PARITY_MISMATCH -> PARITY_MISMATCH;
            case INVALID_INPUT, PAYLOAD_TOO_LARGE -> DATA;
            case MODEL_NOT_FOUND, ROUTE_NOT_FOUND -> NO_INPUT;
            case MODEL_NOT_READY, OVERLOADED, DEADLINE_EXCEEDED, UNSUPPORTED -> UNAVAILABLE;
            case CONFIG_INVALID, ALREADY_EXISTS, CONFLICT -> CONFIG;
            case UNAUTHENTICATED, PERMISSION_DENIED, METHOD_NOT_ALLOWED -> USAGE;
            case ENGINE_FAILURE, INTERNAL -> SOFTWARE;
        };
    }
}
