package dev.slipway.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.spi.EngineOptions;
import dev.slipway.testing.FakeEngine;
import dev.slipway.testing.FakeModels;
import dev.slipway.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission control and deadlines through the real serving path, with a batcher held still by a manual clock. */
class AdmissionTest {
    @TempDir
    Path root;

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
    ModelRepository repository;
    InferenceService service;

    @BeforeEach
    void start() {
        FakeModels.write(root, "m", 1, new float[] {1f, 1f, 1f}, 0f);
        ServingOptions serving = new ServingOptions(8, Duration.ofSeconds(1), 2, 1);
        repository = new ModelRepository(
                root,
                new ModelLoader(
                        Engines.of(List.of(new FakeEngine())),
                        EngineOptions.defaults(),
                        (name, version) -> serving,
                        clock,
                        clock));
        repository.loadAll();
        service = new InferenceService(repository, Limits.defaults(), new ServerMetadata("slipway", "test", List.of()));
    }

    @AfterEach
    void stop() {
        repository.close();
    }

    static InferenceRequest request() {
        return new InferenceRequest(
                "m", null, null, List.of(Tensor.ofFloats("input", new long[] {1, 3}, 1f, 2f, 3f)), List.of(), Map.of());
    }

    @Test
    void beyondTheConcurrencyLimitRequestsAreRefusedAtOnce() throws Exception {
        CompletableFuture<InferenceResponse> first = service.inferAsync(request(), InferenceService.NO_DEADLINE);
        CompletableFuture<InferenceResponse> second = service.inferAsync(request(), InferenceService.NO_DEADLINE);

        assertThatThrownBy(() -> service.inferAsync(request(), InferenceService.NO_DEADLINE))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                    assertThat(e.getMessage()).contains("limit of 2 requests in flight");
                });

        clock.advance(Duration.ofSeconds(1));
        assertThat(first.get().outputs()).isNotEmpty();
        assertThat(second.get().outputs()).isNotEmpty();
        assertThat(repository.resolve("m", null).stats().executionCount()).isEqualTo(1);
        CompletableFuture<InferenceResponse> third = service.inferAsync(request(), InferenceService.NO_DEADLINE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(third.get().outputs()).isNotEmpty();
    }

    @Test
    void workWhoseDeadlinePassedIsNeverRun() {
        long deadline = clock.nanos() + Duration.ofMillis(100).toNanos();
        CompletableFuture<InferenceResponse> late = service.inferAsync(request(), deadline);

        clock.advance(Duration.ofSeconds(1));

        assertThat(late)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(repository.resolve("m", null).stats().executionCount()).isZero();
        assertThatThrownBy(() -> service.inferAsync(request(), clock.nanos()))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    }
}
