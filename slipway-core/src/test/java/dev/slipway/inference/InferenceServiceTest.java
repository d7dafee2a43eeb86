package dev.slipway.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.spi.EngineOptions;
import dev.slipway.testing.FakeEngine;
import dev.slipway.testing.FakeModels;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceServiceTest {
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};

    @TempDir
    Path root;

    ModelRepository repository;
    InferenceService service;

    @BeforeEach
    void start() {
        FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        FakeModels.write(root, "m", 2, WEIGHTS, -0.5f);
        repository = new ModelRepository(
                root,
                new ModelLoader(Engines.of(List.of(new FakeEngine())), EngineOptions.defaults(), Clock.systemUTC()));
        repository.loadAll();
        service = new InferenceService(
                repository, new Limits(1 << 20, 3, 1000), new ServerMetadata("slipway", "test", List.of()));
    }

    @AfterEach
    void stop() {
        repository.close();
    }

    @Test
    void tensorRequestsGetProbabilitiesDecisionsAndTheVersionThatAnswered() {
        float[] row = {1f, 2f, 3f};
        InferenceRequest request = new InferenceRequest(
                "m", null, "req-1", List.of(Tensor.ofFloats("input", new long[] {1, 3}, row)), List.of(), Map.of());

        InferenceResponse response = service.infer(request);

        assertThat(response.version()).isEqualTo("2");
        assertThat(response.id()).isEqualTo("req-1");
        double expected = FakeModels.probability(row, WEIGHTS, -0.5f);
        assertThat(response.outputs().get(0).data().asDouble(0)).isCloseTo(expected, within(1e-7));
        assertThat(((TensorData.Bools) response.outputs().get(1).data()).values()[0])
                .isEqualTo(expected >= 0.5);
    }

    @Test
    void recordsRequestsGiveOneRecordPerRow() {
        RecordsResponse response = service.predict(new RecordsRequest(
                "m", "1", List.of(Map.of("f0", 1.0, "f1", 2.0, "f2", 3.0), Map.of("f0", -1.0, "f1", 0.0, "f2", 0.0))));

        assertThat(response.version()).isEqualTo("1");
        assertThat(response.predictions()).hasSize(2);
        assertThat((Float) response.predictions().get(0).get("probability"))
                .isCloseTo((float) FakeModels.probability(new float[] {1, 2, 3}, WEIGHTS, 0.25f), within(1e-7f));
        assertThat(response.predictions().get(1)).containsKeys("probability", "positive", "label");
    }

    @Test
    void moreRowsThanTheLimitAreRefusedAsTooLarge() {
        InferenceRequest request = new InferenceRequest(
                "m",
                null,
                null,
                List.of(Tensor.ofFloats("input", new long[] {4, 3}, new float[12])),
                List.of(),
                Map.of());

        assertThatThrownBy(() -> service.infer(request)).isInstanceOfSatisfying(SlipwayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
            assertThat(e.getMessage()).startsWith("rows: 4 (expected: at most 3");
        });
    }

    @Test
    void metadataDescribesTheDefaultVersionAndItsContract() {
        ModelMetadata metadata = service.metadata("m", null);

        assertThat(metadata.versions()).containsExactly("1", "2");
        assertThat(metadata.platform()).isEqualTo("fake");
        assertThat(metadata.inputs()).singleElement().satisfies(i -> assertThat(i.shape())
                .containsExactly(-1L, 3L));
        assertThat(metadata.properties())
                .containsEntry("version", "2")
                .containsEntry("state", "READY")
                .containsEntry("feature.f0", "float, expected a number in -100..100")
                .containsEntry("owners.team", "test-team");
        assertThat(service.metadata("m", "1").versions()).containsExactly("1");
        assertThat(service.modelReady("m", "1")).isTrue();
        assertThatThrownBy(() -> service.metadata("m", "7"))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
    }

    @Test
    void engineFailuresKeepTheirCode() throws Exception {
        Path directory = FakeModels.write(root, "boom", 1, WEIGHTS, 0.25f);
        java.nio.file.Files.writeString(
                directory.resolve("model.fake"),
                java.nio.file.Files.readString(directory.resolve("model.fake")) + "fail-above=50\n");
        java.nio.file.Files.writeString(
                directory.resolve("model.yaml"),
                java.nio.file.Files.readString(directory.resolve("model.yaml"))
                        .replaceAll(
                                "sha256: [0-9a-f]{64}",
                                "sha256: " + dev.slipway.manifest.Sha256.of(directory.resolve("model.fake"))));
        repository.load("boom");
        InferenceRequest request = new InferenceRequest(
                "boom",
                null,
                null,
                List.of(Tensor.ofFloats("input", new long[] {1, 3}, 60f, 0f, 0f)),
                List.of(),
                Map.of());

        assertThatThrownBy(() -> service.infer(request))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_FAILURE));
    }
}
