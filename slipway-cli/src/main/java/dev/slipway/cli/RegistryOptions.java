package dev.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.RegistryLocation;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every registry command shares: where the registry is, who is acting, and JSON output. */
final class RegistryOptions {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Option(
            names = "--registry",
            paramLabel = "FILE|JDBC_URL",
            description = "registry: a SQLite file or jdbc:postgresql://... (default: $SLIPWAY_REGISTRY, else "
                    + RegistryLocation.DEFAULT_FILE + ")")
    @Nullable
    String registry;

    @Option(
            names = "--artifacts",
            paramLabel = "DIR",
            description = "artifact store (default: artifacts/ beside a SQLite file)")
    @Nullable
    Path artifacts;

    @Option(names = "--actor", paramLabel = "NAME", description = "who is acting, for the audit log (default: $USER)")
    @Nullable
    String actor;

    @Option(names = "--json", description = "print JSON for scripts instead of tables")
    boolean json;

    ModelRegistry open() {
        return ModelRegistry.open(RegistryLocation.parse(spec(), artifacts), Clock.systemUTC());
    }

    String spec() {
        if (registry != null) {
            return registry;
        }
        String fromEnvironment = System.getenv("SLIPWAY_REGISTRY");
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : RegistryLocation.DEFAULT_FILE;
    }

    String actor() {
        if (actor != null && !actor.isBlank()) {
            return actor;
        }
        String user = System.getenv("USER");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
