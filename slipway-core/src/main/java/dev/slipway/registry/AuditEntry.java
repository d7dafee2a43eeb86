package dev.slipway.registry;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One change recorded in the append-only audit log.
 *
 * @param id the entry's sequence number
 * @param at when
 * @param actor who (a user, or a token's name)
 * @param action what: {@code push}, {@code alias}, {@code unalias}, {@code archive}
 * @param model the model concerned
 * @param version the version concerned
 * @param reason why, as the actor said
 * @param before the state before, as JSON
 * @param after the state after, as JSON
 */
public record AuditEntry(
        long id,
        Instant at,
        String actor,
        String action,
        @Nullable String model,
        @Nullable Long version,
        @Nullable String reason,
        @Nullable String before,
        @Nullable String after) {}
