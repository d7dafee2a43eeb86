package dev.slipway.registry;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * How a version is pushed.
 *
 * @param actor who pushes it
 * @param alias an alias to point at it once registered ({@code candidate}), or none
 * @param reason why, for the audit log
 * @param source where it came from (a notebook run link, a commit), for the record
 */
public record PushOptions(String actor, @Nullable String alias, @Nullable String reason, @Nullable String source) {
    public PushOptions {
        requireNonNull(actor, "actor");
    }
}
