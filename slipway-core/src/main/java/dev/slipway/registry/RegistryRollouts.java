package dev.slipway.registry;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.rollout.Rollout;
import dev.slipway.rollout.RolloutJson;
import dev.slipway.rollout.RolloutStore;
import dev.slipway.rollout.RoutingTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Rollouts and routing tables in the registry's database: one row per endpoint, written in the same transaction as
 * the alias moves and the audit entry of each change, and bumping the registry's generation so every replica reloads
 * its routing tables within one poll.
 */
public final class RegistryRollouts implements RolloutStore {
    private static final String COLUMNS = "state, routing, revision";

    private final ModelRegistry registry;
    private final Clock clock;

    /** Rollouts stored in a registry. */
    public RegistryRollouts(ModelRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public Optional<Stored> find(String endpoint) {
        return registry.read(connection -> find(connection, endpoint));
    }

    @Override
    public List<Stored> all() {
        return registry.read(connection -> {
            List<Stored> all = new ArrayList<>();
            try (PreparedStatement statement =
                            connection.prepareStatement("SELECT " + COLUMNS + " FROM rollouts ORDER BY endpoint");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    all.add(stored(rows));
                }
            }
            return all;
        });
    }

    @Override
    public long production(String endpoint) {
        return registry.read(connection -> production(connection, endpoint));
    }

    @Override
    public Stored start(Rollout rollout, RoutingTable table, Change change) {
        return registry.transaction(connection -> {
            registry.existingModel(connection, rollout.endpoint());
            Optional<Stored> current = find(connection, rollout.endpoint());
            if (current.isPresent() && current.get().rollout().phase().active()) {
                throw new SlipwayException(
                        ErrorCode.CONFLICT,
                        "endpoint '" + rollout.endpoint() + "' already has a rollout in phase "
                                + current.get().rollout().phase() + " (candidate version "
                                + current.get().rollout().candidate() + "; abort it first)");
            }
            for (long version : table.versions()) {
                RegisteredVersion registered = registry.existing(connection, rollout.endpoint(), version);
                if (registered.archived()) {
                    throw new SlipwayException(
                            ErrorCode.CONFLICT,
                            "model '" + rollout.endpoint() + "' version " + version
                                    + " is archived (expected: a live version)");
                }
            }
            long revision = current.map(stored -> stored.revision() + 1).orElse(1L);
            RoutingTable numbered = renumber(table, current);
            if (current.isEmpty()) {
                ModelRegistry.update(
                        connection,
                        "INSERT INTO rollouts (endpoint, revision, epoch, phase, state, routing, updated_at) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        rollout.endpoint(),
                        revision,
                        numbered.epoch(),
                        rollout.phase().name(),
                        RolloutJson.write(rollout),
                        RolloutJson.write(numbered),
                        clock.millis());
            } else {
                write(connection, current.get(), rollout, numbered, revision);
            }
            apply(connection, rollout.endpoint(), rollout.candidate(), change, current, numbered);
            return new Stored(rollout, numbered, revision);
        });
    }

    @Override
    public Stored update(Stored before, Rollout next, RoutingTable table, Change change) {
        return registry.transaction(connection -> {
            Optional<Stored> current = find(connection, before.rollout().endpoint());
            if (current.isEmpty() || current.get().revision() != before.revision()) {
                throw conflict(before, current);
            }
            long revision = before.revision() + 1;
            write(connection, before, next, table, revision);
            apply(connection, next.endpoint(), next.candidate(), change, current, table);
            return new Stored(next, table, revision);
        });
    }

    @Override
    public Stored save(Stored before, Rollout next) {
        return registry.transaction(connection -> {
            Optional<Stored> current = find(connection, before.rollout().endpoint());
            if (current.isEmpty() || current.get().revision() != before.revision()) {
                throw conflict(before, current);
            }
            long revision = before.revision() + 1;
            write(connection, before, next, before.table(), revision);
            return new Stored(next, before.table(), revision);
        });
    }

    @Override
    public boolean lease(String endpoint, String owner, Instant until) {
        return registry.transaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE rollouts SET lease_owner = ?, lease_until = ? WHERE endpoint = ? "
                            + "AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)")) {
                statement.setString(1, owner);
                statement.setLong(2, until.toEpochMilli());
                statement.setString(3, endpoint);
                statement.setString(4, owner);
                statement.setLong(5, clock.millis());
                return statement.executeUpdate() == 1;
            }
        });
    }

    private static SlipwayException conflict(Stored before, Optional<Stored> current) {
        return new SlipwayException(
                ErrorCode.CONFLICT,
                "rollout of '" + before.rollout().endpoint() + "' changed since revision " + before.revision()
                        + " (now " + current.map(Stored::revision).orElse(0L) + "); read it again");
    }

    /** Whether the endpoint has a rollout in progress (its production alias must then stay where it is). */
    static boolean active(Connection connection, String endpoint) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT phase FROM rollouts WHERE endpoint = ?")) {
            statement.setString(1, endpoint);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        && dev.slipway.rollout.Phase.valueOf(rows.getString(1)).active();
            }
        }
    }

    /** A new table never reuses an epoch the endpoint had. */
    private static RoutingTable renumber(RoutingTable table, Optional<Stored> current) {
        long epoch = current.map(stored -> stored.table().epoch() + 1).orElse(Math.max(1, table.epoch()));
        return new RoutingTable(table.endpoint(), epoch, table.salt(), table.arms(), table.shadow());
    }

    private void write(Connection connection, Stored before, Rollout next, RoutingTable table, long revision)
            throws SQLException {
        if (table.epoch() < before.table().epoch()) {
            throw new SlipwayException(
                    ErrorCode.INTERNAL,
                    "routing epoch of '" + next.endpoint() + "' would go back from "
                            + before.table().epoch() + " to " + table.epoch());
        }
        ModelRegistry.update(
                connection,
                "UPDATE rollouts SET revision = ?, epoch = ?, phase = ?, state = ?, routing = ?, updated_at = ? "
                        + "WHERE endpoint = ?",
                revision,
                table.epoch(),
                next.phase().name(),
                RolloutJson.write(next),
                RolloutJson.write(table),
                clock.millis(),
                next.endpoint());
    }

    private void apply(
            Connection connection,
            String endpoint,
            long candidate,
            Change change,
            Optional<Stored> before,
            RoutingTable table)
            throws SQLException {
        for (AliasMove move : change.aliases()) {
            Long version = move.version();
            if (version != null) {
                registry.moveAlias(connection, endpoint, version, move.alias(), change.actor(), change.reason());
            } else {
                ModelRegistry.update(
                        connection, "DELETE FROM aliases WHERE model = ? AND alias = ?", endpoint, move.alias());
            }
        }
        Map<String, Object> evidence = new LinkedHashMap<>(change.evidence());
        evidence.put(
                "epoch-before", before.map(stored -> stored.table().epoch()).orElse(0L));
        evidence.put("epoch-after", table.epoch());
        evidence.put("routing", table);
        registry.audit(
                connection,
                change.actor(),
                change.action(),
                endpoint,
                candidate,
                change.reason(),
                before.map(stored -> RolloutJson.write(stored.rollout())).orElse(null),
                RolloutJson.write(evidence));
        if (before.isEmpty()
                || before.get().table().epoch() != table.epoch()
                || !change.aliases().isEmpty()) {
            ModelRegistry.bumpGeneration(connection);
        }
    }

    private static Optional<Stored> find(Connection connection, String endpoint) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT " + COLUMNS + " FROM rollouts WHERE endpoint = ?")) {
            statement.setString(1, endpoint);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(stored(rows)) : Optional.empty();
            }
        }
    }

    private static Stored stored(ResultSet rows) throws SQLException {
        return new Stored(
                RolloutJson.read(rows.getString(1), Rollout.class),
                RolloutJson.read(rows.getString(2), RoutingTable.class),
                rows.getLong(3));
    }

    private static long production(Connection connection, String endpoint) throws SQLException {
        @Nullable
        Long version = ModelRegistry.aliases(connection, endpoint)
                .getOrDefault(endpoint, Map.of())
                .get(ModelRegistry.PRODUCTION);
        if (version == null) {
            throw new SlipwayException(
                    ErrorCode.MODEL_NOT_FOUND,
                    "model '" + endpoint + "' has no production version (expected: 'slipway models alias " + endpoint
                            + ":<version> production' first)");
        }
        return version;
    }
}
