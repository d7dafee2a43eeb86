package dev.slipway.registry;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Connections to the registry database, migrated with Flyway when opened. SQLite files run in WAL mode with
 * IMMEDIATE transactions (one writer at a time, readers never blocked) and a busy timeout, so concurrent processes
 * queue instead of failing.
 */
final class Database {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final RegistryLocation location;
    private final Dialect dialect;

    private Database(RegistryLocation location) {
        this.location = location;
        this.dialect = location.dialect();
    }

    /** Opens (creating a SQLite file and its directory when needed) and migrates to the current schema. */
    static Database open(RegistryLocation location) {
        Database database = new Database(location);
        if (database.dialect == Dialect.SQLITE) {
            Path file = Path.of(location.jdbcUrl().substring("jdbc:sqlite:".length()))
                    .toAbsolutePath();
            try {
                Path parent = file.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new SlipwayException(ErrorCode.CONFIG_INVALID, "registry directory for '" + file + "': " + e, e);
            }
            database.walMode();
        }
        database.migrate();
        return database;
    }

    /**
     * Puts a SQLite file in WAL mode once, when opened: the mode is kept in the file. Asking for it on every
     * connection instead makes a connection opened while another writes fail at once with SQLITE_BUSY, whatever the
     * busy timeout.
     */
    private void walMode() {
        Properties properties = new Properties();
        properties.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
        try (Connection connection = DriverManager.getConnection(location.jdbcUrl(), properties);
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL"); // outside a transaction: the mode cannot change inside one
        } catch (SQLException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "registry " + location.describe() + " cannot be put in WAL mode: " + e.getMessage(),
                    e);
        }
    }

    Dialect dialect() {
        return dialect;
    }

    private void migrate() {
        try {
            Flyway.configure()
                    .dataSource(location.jdbcUrl(), location.user(), location.password())
                    .locations(dialect.migrations())
                    .connectRetries(dialect == Dialect.SQLITE ? 0 : 5)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "registry " + location.describe() + " cannot be opened or migrated: " + e.getMessage(),
                    e);
        }
    }

    /** A new connection, in manual-commit mode. */
    Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (location.user() != null) {
            properties.setProperty("user", location.user());
        }
        if (location.password() != null) {
            properties.setProperty("password", location.password());
        }
        if (dialect == Dialect.SQLITE) {
            properties.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
            properties.setProperty("foreign_keys", "true");
            properties.setProperty("transaction_mode", "IMMEDIATE");
            properties.setProperty("synchronous", "FULL");
        }
        Connection connection = DriverManager.getConnection(location.jdbcUrl(), properties);
        connection.setAutoCommit(false);
        return connection;
    }
}
