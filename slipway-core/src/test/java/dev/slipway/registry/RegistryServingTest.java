package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.Tensor;
import dev.slipway.inference.Engines;
import dev.slipway.inference.InferenceService;
import dev.slipway.inference.Limits;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelLoader;
import dev.slipway.inference.ModelMetadata;
import dev.slipway.inference.ModelRepository;
import dev.slipway.inference.ModelState;
import dev.slipway.inference.ServerMetadata;
import dev.slipway.spi.EngineOptions;
import dev.slipway.testing.FakeEngine;
import dev.slipway.testing.FakeModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving what the registry says: production by default, hot swaps, and a bad new version never replacing a good one. */
class RegistryServingTest {
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};
    static final float[] ROW = {1f, 2f, 3f};

    @TempDir
    Path temp;

    ModelRegistry registry;
    ModelLoader loader;
    RegistrySource source;
    ModelRepository repository;
    InferenceService service;

    @BeforeEach
    void open() {
        registry = ModelRegistry.open(
                RegistryLocation.parse(temp.resolve("registry.db").toString(), null), Clock.systemUTC());
        loader = new ModelLoader(Engines.of(List.of(new FakeEngine())), EngineOptions.defaults(), Clock.systemUTC());
        source = new RegistrySource(registry);
        repository = new ModelRepository(source, loader);
        service = new InferenceService(repository, Limits.defaults(), new ServerMetadata("slipway", "test", List.of()));
    }

    @AfterEach
    void close() {
        repository.close();
        source.close();
    }

    long push(float bias, String alias) {
        Path directory = FakeModels.write(temp.resolve("src-" + bias), "scorer", 1, WEIGHTS, bias);
        return registry.push(directory, new PushOptions("alice", alias, null, null), loader, PushListener.NONE)
                .version();
    }

    InferenceResponse infer() {
        return service.infer(new InferenceRequest(
                "scorer", null, null, List.of(Tensor.ofFloats("input", new long[] {1, 3}, ROW)), List.of(), Map.of()));
    }

    static double probability(InferenceResponse response) {
        return response.outputs().get(0).data().asDouble(0);
    }

    @Test
    void requestsWithoutAVersionGoToProductionNotTheNewest() {
        push(0.25f, "production");
        push(0.5f, "candidate");

        repository.sync();

        InferenceResponse response = infer();
        assertThat(response.version()).isEqualTo("1");
        assertThat(probability(response)).isCloseTo(FakeModels.probability(ROW, WEIGHTS, 0.25f), within(1e-7));
        assertThat(repository.find("scorer", "2").orElseThrow().ready()).isTrue();
    }

    @Test
    void metadataWithoutAVersionDescribesProductionNotTheNewest() {
        push(0.25f, "production");
        push(0.5f, "candidate");

        repository.sync();

        ModelMetadata metadata = service.metadata("scorer", null);
        assertThat(metadata.properties()).containsEntry("version", "1");
        assertThat(metadata.versions()).containsExactly("1", "2");
    }

    @Test
    void movingProductionSwapsVersionsAndUnloadsTheOldOneAfterwards() {
        push(0.25f, "production");
        repository.sync();
        LoadedModel first = repository.resolve("scorer", null);
        push(0.5f, null);

        registry.alias("scorer", 2, "production", "bob", "promote");
        repository.sync();

        assertThat(infer().version()).isEqualTo("2");
        assertThat(first.state()).isEqualTo(ModelState.UNAVAILABLE);
        assertThat(repository.versions("scorer")).containsOnlyKeys(2L);
    }

    @Test
    void aTamperedNewVersionIsRefusedAndThePreviousKeepsServing() throws Exception {
        push(0.25f, "production");
        repository.sync();
        long second = push(0.5f, null);
        RegisteredVersion registered = registry.version("scorer", Long.toString(second));
        VersionFile artifact = registered.files().stream()
                .filter(f -> f.path().equals("model.fake"))
                .findFirst()
                .orElseThrow();
        Path blob = temp.resolve("artifacts")
                .resolve(artifact.sha256().substring(0, 2))
                .resolve(artifact.sha256());
        Files.write(blob, new byte[] {1, 2, 3});

        registry.alias("scorer", second, "production", "bob", "promote");
        repository.sync();

        assertThat(infer().version()).isEqualTo("1");
        LoadedModel refused = repository.find("scorer", "2").orElseThrow();
        assertThat(refused.state()).isEqualTo(ModelState.FAILED);
        assertThat(refused.reason()).contains("changed or truncated");
    }

    @Test
    void aSwapUnderContinuousLoadFailsNoRequest() throws Exception {
        push(0.25f, "production");
        push(0.5f, null);
        push(0.75f, null);
        repository.sync();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread[] clients = new Thread[4];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Thread(() -> {
                while (running.get()) {
                    try {
                        infer();
                        served.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            });
            clients[i].start();
        }
        for (int round = 0; round < 6; round++) {
            registry.alias("scorer", 1 + (round + 1) % 3, "production", "bob", "swap " + round);
            repository.sync();
        }
        running.set(false);
        for (Thread client : clients) {
            client.join(10_000);
        }

        assertThat(failed.get()).isZero();
        assertThat(served.get()).isPositive();
        assertThat(infer().version()).isEqualTo("1");
    }
}
