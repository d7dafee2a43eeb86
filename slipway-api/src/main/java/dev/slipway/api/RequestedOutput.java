package dev.slipway.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * An output the caller asked for by name.
 *
 * @param name the output's name
 * @param binary whether the caller wants it in binary form (HTTP binary tensor extension); {@code null} when the
 *     caller did not say, so the request's {@code binary_data_output} decides; other protocols ignore it
 * @param classification with N > 0, the output is answered as its N highest entries per row ({@code
 *     "value:index[:label]"}, the classification extension); 0 for the values themselves
 */
public record RequestedOutput(String name, @Nullable Boolean binary, int classification) {
    /** The largest N the classification extension takes. */
    public static final int MAX_CLASSIFICATION = 1_000_000;

    public RequestedOutput {
        requireNonNull(name, "name");
        if (classification < 0 || classification > MAX_CLASSIFICATION) {
            throw new IllegalArgumentException(
                    "classification: " + classification + " (expected: 0.." + MAX_CLASSIFICATION + ")");
        }
    }

    /** An output asked for as it is. */
    public RequestedOutput(String name, @Nullable Boolean binary) {
        this(name, binary, 0);
    }
}
