package dev.slipway.slo;

import dev.slipway.api.ErrorCode;
import java.util.Locale;

/**
 * How a request ended, as the {@code outcome} label of {@code slipway_requests_total}. Only {@link #SERVER_ERROR}
 * burns the availability budget.
 */
public enum Outcome {
    /** Answered. */
    SUCCESS,
    /** Refused because of the caller's request (bad input, unknown model, no permission): no budget burnt. */
    CLIENT_ERROR,
    /** Not answered through the service's fault: engine failure, not ready, deadline exceeded, overloaded, internal. */
    SERVER_ERROR;

    /** The value of the {@code outcome} label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The outcome of a request that failed with {@code code}. {@code OVERLOADED} (429) counts as a server error: the
     * caller did nothing wrong and got no answer.
     */
    public static Outcome of(ErrorCode code) {
        if (code == ErrorCode.OVERLOADED) {
            return SERVER_ERROR;
        }
        return code.clientError() ? CLIENT_ERROR : SERVER_ERROR;
    }
}
