package dev.slipway.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.spi.EngineOptions;
import dev.slipway.testing.FakeEngine;
import dev.slipway.testing.FakeModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};

    @TempDir
    Path root;

    ModelRepository repository;

    ModelRepository open() {
        repository = new ModelRepository(
                root,
                new ModelLoader(Engines.of(List.of(new FakeEngine())), EngineOptions.defaults(), Clock.systemUTC()));
        repository.loadAll();
        return repository;
    }

    @AfterEach
    void close() {
        if (repository != null) {
            repository.close();
        }
    }

    @Test
    void withoutAVersionRequestsGoToTheHighestReadyVersion() {
        FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        FakeModels.write(root, "m", 2, WEIGHTS, 0.5f);
        FakeModels.write(root, "m", 3, WEIGHTS, 0.75f, 0.5);

        open();

        assertThat(repository.resolve("m", null).version()).isEqualTo(2);
        assertThat(repository.resolve("m", "1").version()).isEqualTo(1);
        assertThat(repository.find("m", "3").orElseThrow().state()).isEqualTo(ModelState.FAILED);
        assertThat(repository.allModelsServing()).isTrue();
    }

    @Test
    void aVersionThatFailsItsGateIsNotReadyAndSaysWhy() {
        FakeModels.write(root, "m", 1, WEIGHTS, 0.25f, 0.5);

        open();

        assertThatThrownBy(() -> repository.resolve("m", "1")).isInstanceOfSatisfying(SlipwayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_READY);
            assertThat(e.getMessage()).contains("FAILED").contains("parity gate failed");
        });
        assertThatThrownBy(() -> repository.resolve("m", null))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("model 'm' has no ready version (version 1 FAILED: "
                                + repository.find("m", "1").orElseThrow().reason() + ")"));
        assertThat(repository.allModelsServing()).isFalse();
    }

    @Test
    void unknownModelsAndVersionsAreNotFound() {
        FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        open();

        for (String version : new String[] {"9", "abc", "-1", "01"}) {
            assertThatThrownBy(() -> repository.resolve("m", version))
                    .isInstanceOfSatisfying(
                            SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
        }
        assertThatThrownBy(() -> repository.resolve("other", null))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
        assertThatThrownBy(() -> repository.load("../etc"))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
    }

    @Test
    void aTamperedArtifactIsRefused() throws Exception {
        Path directory = FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        Files.writeString(directory.resolve("model.fake"), "weights=9,9,9\nbias=0\n");

        open();

        LoadedModel model = repository.find("m", "1").orElseThrow();
        assertThat(model.state()).isEqualTo(ModelState.FAILED);
        assertThat(model.reason()).contains("sha256").contains("changed or truncated");
    }

    @Test
    void aManifestThatContradictsItsDirectoryIsRefused() throws Exception {
        Path directory = FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        Files.move(directory, root.resolve("m").resolve("4"));

        open();

        assertThat(repository.find("m", "4").orElseThrow().reason()).contains("manifest says m:1 (expected: m:4");
    }

    @Test
    void unloadWaitsForInFlightCallsThenLoadServesAgain() throws Exception {
        FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        open();
        LoadedModel model = repository.resolve("m", "1");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> model.call((contract, engine) -> {
            inside.countDown();
            awaitLatch(release);
            return engine.signature().inputs().size();
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> unload = CompletableFuture.runAsync(() -> repository.unload("m"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> model.state() == ModelState.UNLOADING);
        assertThat(unload).isNotDone();
        assertThatThrownBy(() -> repository.resolve("m", "1"))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_READY));

        release.countDown();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        unload.get(10, TimeUnit.SECONDS);
        assertThat(model.state()).isEqualTo(ModelState.UNAVAILABLE);

        repository.load("m");
        assertThat(repository.resolve("m", null).ready()).isTrue();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aMissingRepositoryIsAConfigurationError() {
        repository = new ModelRepository(
                root.resolve("missing"),
                new ModelLoader(Engines.of(List.of(new FakeEngine())), EngineOptions.defaults(), Clock.systemUTC()));

        assertThatThrownBy(repository::loadAll).isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    @Test
    void anUnknownFormatNamesTheAvailableOnes() throws Exception {
        Path directory = FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        Path manifest = directory.resolve("model.yaml");
        Files.writeString(manifest, Files.readString(manifest).replace("format: fake", "format: tensorflow"));

        open();

        assertThat(repository.find("m", "1").orElseThrow().reason())
                .isEqualTo("format 'tensorflow' has no engine (expected: one of fake)");
    }
}
