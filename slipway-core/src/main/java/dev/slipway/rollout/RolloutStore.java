package dev.slipway.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where rollouts and routing tables live so every replica follows them and a restart resumes them: the model
 * registry. Writes are compare-and-set on a revision, so two controllers never both move a rollout.
 */
public interface RolloutStore {
    /**
     * A rollout as stored.
     *
     * @param rollout its state
     * @param table the endpoint's routing table
     * @param revision grows with every write
     */
    record Stored(Rollout rollout, RoutingTable table, long revision) {}

    /**
     * An alias to move in the same transaction as a rollout change.
     *
     * @param alias the alias
     * @param version where it points next; none removes it
     */
    record AliasMove(String alias, @Nullable Long version) {}

    /**
     * One audited change.
     *
     * @param actor who (a user, or {@code controller@<instance>})
     * @param action {@code rollout-start}, {@code rollout-step}, {@code rollout-promote}, ...
     * @param reason why, for the log
     * @param evidence what the decision rested on: checks, statistics, thresholds, sample sizes, epochs
     * @param aliases aliases moved with it
     */
    record Change(
            String actor,
            String action,
            @Nullable String reason,
            Map<String, Object> evidence,
            List<AliasMove> aliases) {}

    /** The endpoint's rollout, if one was ever started. */
    Optional<Stored> find(String endpoint);

    /** Every endpoint's latest rollout. */
    List<Stored> all();

    /** The version the endpoint's {@code production} alias points at. */
    long production(String endpoint);

    /**
     * Stores a new rollout, unless one is active on the endpoint.
     *
     * @throws dev.slipway.api.SlipwayException {@code CONFLICT} when one is active, {@code MODEL_NOT_FOUND} for an
     *     unknown or archived candidate
     */
    Stored start(Rollout rollout, RoutingTable table, Change change);

    /**
     * Stores a change if nothing was written since {@code before}.
     *
     * @throws dev.slipway.api.SlipwayException {@code CONFLICT} when another writer got there first
     */
    Stored update(Stored before, Rollout next, RoutingTable table, Change change);

    /**
     * Stores a new judgement or observation restart: no routing or alias change, no audit entry, no generation bump.
     *
     * @throws dev.slipway.api.SlipwayException {@code CONFLICT} when another writer got there first
     */
    Stored save(Stored before, Rollout next);

    /** Takes or renews the endpoint's controller lease until {@code until}; false when another owner holds it. */
    boolean lease(String endpoint, String owner, Instant until);
}
