package dev.slipway.api;

import static java.util.Objects.requireNonNull;

/**
 * An output the caller asked for by name.
 *
 * @param name the output's name
 * @param binary whether the caller wants it in binary form (HTTP binary tensor extension); other protocols ignore it
 */
public record RequestedOutput(String name, boolean binary) {
    public RequestedOutput {
        requireNonNull(name, "name");
    }
}
