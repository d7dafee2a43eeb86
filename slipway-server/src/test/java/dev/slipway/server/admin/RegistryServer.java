package dev.slipway.server.admin;

import dev.slipway.config.ModelsConfig;
import dev.slipway.config.RegistryConfig;
import dev.slipway.config.RolloutsConfig;
import dev.slipway.config.SecurityConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.inference.ModelLoader;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.PushListener;
import dev.slipway.registry.PushOptions;
import dev.slipway.registry.RegistryLocation;
import dev.slipway.rollout.EndpointPolicy;
import dev.slipway.server.SlipwayServer;
import dev.slipway.spi.EngineOptions;
import dev.slipway.testing.FakeEngine;
import dev.slipway.testing.FakeModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/** A registry in a temporary directory, and a server serving it; for the admin API tests. */
final class RegistryServer implements AutoCloseable {
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};

    final Path root;
    final RegistryLocation location;
    final ModelRegistry registry;
    final ModelLoader loader;

    @Nullable
    SlipwayServer server;

    RegistryServer(Path root) {
        this.root = root;
        this.location = RegistryLocation.parse(root.resolve("registry.db").toString(), null);
        this.registry = ModelRegistry.open(location, Clock.systemUTC());
        this.loader =
                new ModelLoader(Engines.of(List.of(new FakeEngine())), EngineOptions.defaults(), Clock.systemUTC());
    }

    /** Writes a fake model version directory with this bias. */
    Path version(String name, float bias) {
        return FakeModels.write(root.resolve("src").resolve(Float.toString(bias)), name, 1, WEIGHTS, bias);
    }

    long push(String name, float bias, @Nullable String alias) {
        return registry.push(
                        version(name, bias), new PushOptions("setup", alias, null, null), loader, PushListener.NONE)
                .version();
    }

    SlipwayServer start(SecurityConfig security) {
        return start(security, java.util.Map.of(), RolloutsConfig.defaults());
    }

    SlipwayServer start(
            SecurityConfig security, java.util.Map<String, EndpointPolicy> endpoints, RolloutsConfig rollouts) {
        return start(security, endpoints, rollouts, java.util.function.UnaryOperator.identity());
    }

    SlipwayServer start(
            SecurityConfig security,
            java.util.Map<String, EndpointPolicy> endpoints,
            RolloutsConfig rollouts,
            java.util.function.UnaryOperator<SlipwayConfig> more) {
        SlipwayConfig config = new SlipwayConfig(
                ServerConfig.defaults().withAddress("127.0.0.1", 0, 0),
                ModelsConfig.defaults(),
                null,
                null,
                new RegistryConfig(location.jdbcUrl(), location.artifacts().toString(), Duration.ofMillis(200)),
                security,
                endpoints,
                rollouts);
        server = SlipwayServer.start(more.apply(config), Engines.discover(), Clock.systemUTC());
        return server;
    }

    /** A zip of a version directory, as the admin API's push takes it. */
    static byte[] zip(Path directory) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes);
                Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
