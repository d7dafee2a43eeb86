package dev.slipway.registry;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where a registry lives: its metadata database (a SQLite file, or any JDBC URL such as PostgreSQL's) and the
 * directory of its content-addressed artifacts.
 *
 * @param jdbcUrl the database, {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host/db}
 * @param artifacts the artifact directory; replicas sharing a database must share it too
 * @param user the database user, or {@code null} when the URL carries it (or SQLite)
 * @param password the database password, or {@code null}; read from the environment, never from a file
 */
public record RegistryLocation(String jdbcUrl, Path artifacts, @Nullable String user, @Nullable String password) {
    /** The registry used when none is named: a SQLite file under {@code slipway-data/}. */
    public static final String DEFAULT_FILE = "slipway-data/registry.db";

    public RegistryLocation {
        requireNonNull(jdbcUrl, "jdbcUrl");
        requireNonNull(artifacts, "artifacts");
    }

    /**
     * A location from what a user types: a JDBC URL, or a path to a SQLite file. Artifacts default to {@code
     * artifacts/} beside a SQLite file, and to {@code slipway-data/artifacts} for other databases. The password comes
     * from {@code SLIPWAY_REGISTRY_PASSWORD}, the user from {@code SLIPWAY_REGISTRY_USER}, when set.
     */
    public static RegistryLocation parse(String spec, @Nullable Path artifacts) {
        String user = System.getenv("SLIPWAY_REGISTRY_USER");
        String password = System.getenv("SLIPWAY_REGISTRY_PASSWORD");
        if (spec.startsWith("jdbc:")) {
            Path store = artifacts != null ? artifacts : Path.of("slipway-data", "artifacts");
            if (spec.startsWith("jdbc:sqlite:")) {
                Path file = Path.of(spec.substring("jdbc:sqlite:".length()));
                store = artifacts != null ? artifacts : siblingArtifacts(file);
            }
            return new RegistryLocation(spec, store, user, password);
        }
        Path file = Path.of(spec);
        return new RegistryLocation(
                "jdbc:sqlite:" + file, artifacts != null ? artifacts : siblingArtifacts(file), null, null);
    }

    private static Path siblingArtifacts(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return (parent == null ? Path.of(".") : parent).resolve("artifacts");
    }

    /** The SQL dialect of the database. */
    Dialect dialect() {
        return Dialect.of(jdbcUrl);
    }

    /** The location without its password, for logs and banners. */
    public String describe() {
        return jdbcUrl.replaceAll("password=[^&]*", "password=***") + " (artifacts " + artifacts + ")";
    }
}
