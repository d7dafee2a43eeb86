package dev.slipway.registry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The registry contract against a real PostgreSQL server (embedded binaries, started offline for the class). */
class PostgresRegistryIT extends RegistryContract {
    static EmbeddedPostgres postgres;
    static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Override
    RegistryLocation location(Path temp) {
        String database = "registry_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if (!e.getMessage().contains("already exists")) {
                throw new IllegalStateException(e);
            }
        }
        return new RegistryLocation(
                postgres.getJdbcUrl("postgres", database), temp.resolve("artifacts"), "postgres", null);
    }
}
