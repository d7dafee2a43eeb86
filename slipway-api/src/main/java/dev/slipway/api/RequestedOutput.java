package dev.slipway.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * An output the caller asked for by name.
 *
 * @param name the output's name
 * @param binary whether the caller wants it in binary form (HTTP binary tensor extension); {@code null} when the
 *     caller did not say, so the request's {@code binary_data_output} decides; other protocols ignore it
 */
public record RequestedOutput(String name, @Nullable Boolean binary) {
    public RequestedOutput {
        requireNonNull(name, "name");
    }
}
