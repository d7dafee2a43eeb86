package dev.slipway.registry;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.inference.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Serves what the registry says: every live version that has an alias, with {@code production} as each model's
 * default. A version's files are copied out of the artifact store into a private checkout, each checked against its
 * digest, every time it is loaded.
 */
public final class RegistrySource implements ModelSource, AutoCloseable {
    private final ModelRegistry registry;
    private final Path checkouts;

    /** A source over a registry, checking versions out into a new temporary directory. */
    public RegistrySource(ModelRegistry registry) {
        this.registry = registry;
        try {
            this.checkouts = Files.createTempDirectory("slipway-checkouts-");
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "cannot create a checkout directory: " + e, e);
        }
    }

    @Override
    public Map<String, Desired> desired() {
        return registry.desired();
    }

    @Override
    public Path directory(String name, long version) {
        Path target = checkouts.resolve(name).resolve(Long.toString(version));
        delete(target);
        registry.materialize(name, version, target);
        return target;
    }

    @Override
    public boolean strictVersions() {
        return false;
    }

    @Override
    public String describe() {
        return "registry " + registry.describe();
    }

    @Override
    public void close() {
        delete(checkouts);
    }

    private static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "cannot clear checkout '" + path + "': " + e, e);
        }
    }
}
