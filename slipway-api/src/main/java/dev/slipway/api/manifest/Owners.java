package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

/**
 * Who owns a model and who answers when it pages.
 *
 * @param team the owning team
 * @param onCall the on-call contact (rotation, address or channel)
 */
public record Owners(String team, String onCall) {
    public Owners {
        requireNonNull(team, "team");
        requireNonNull(onCall, "onCall");
    }
}
