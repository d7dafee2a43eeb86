package dev.slipway.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.contract.BoundBatch;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import dev.slipway.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
    static final long NO_DEADLINE = Long.MAX_VALUE;

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
    final DoublingEngine engine = new DoublingEngine();
    final ModelStats stats = new ModelStats();
    DynamicBatcher batcher;

    /** Doubles each value; fails any call containing 666; records the rows of every call. */
    static final class DoublingEngine implements ModelInstance {
        final List<Integer> calls = new CopyOnWriteArrayList<>();

        @Override
        public Signature signature() {
            return new Signature(
                    List.of(TensorSpec.of("x", DataType.FP32, -1, 1)),
                    List.of(TensorSpec.of("y", DataType.FP32, -1, 1)));
        }

        @Override
        public List<Tensor> infer(List<Tensor> inputs) {
            float[] x = ((TensorData.Floats) inputs.get(0).data()).values();
            calls.add(x.length);
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                if (x[i] == 666f) {
                    throw SlipwayException.engineFailure("cannot score 666", new IllegalStateException());
                }
                y[i] = 2 * x[i];
            }
            return List.of(Tensor.ofFloats("y", new long[] {x.length, 1}, y));
        }

        @Override
        public void close() {}
    }

    DynamicBatcher batcher(int maxRows, Duration delay) {
        batcher = new DynamicBatcher("test", engine, new ServingOptions(maxRows, delay, 100, 1), clock, stats);
        return batcher;
    }

    @AfterEach
    void close() {
        batcher.close();
    }

    static BoundBatch rows(float... values) {
        return new BoundBatch(List.of(Tensor.ofFloats("x", new long[] {values.length, 1}, values)), values.length);
    }

    static float[] result(CompletableFuture<List<Tensor>> future) throws Exception {
        return ((TensorData.Floats) future.get(10, TimeUnit.SECONDS).get(0).data()).values();
    }

    @Test
    void aFullBatchGoesAtOnceAndEveryRequestGetsItsOwnRowsInOrder() throws Exception {
        batcher(4, Duration.ofHours(1));

        CompletableFuture<List<Tensor>> a = batcher.submit(rows(1), NO_DEADLINE);
        CompletableFuture<List<Tensor>> b = batcher.submit(rows(2, 3), NO_DEADLINE);
        CompletableFuture<List<Tensor>> c = batcher.submit(rows(4), NO_DEADLINE);

        assertThat(result(a)).containsExactly(2f);
        assertThat(result(b)).containsExactly(4f, 6f);
        assertThat(result(c)).containsExactly(8f);
        assertThat(engine.calls).containsExactly(4);
        assertThat(stats.executionCount()).isEqualTo(1);
        assertThat(stats.batches()).singleElement().satisfies(s -> assertThat(s.batchSize())
                .isEqualTo(4));
    }

    @Test
    void theFirstRequestWaitsForCompanyUntilTheQueueDelayPasses() throws Exception {
        batcher(8, Duration.ofMillis(10));

        CompletableFuture<List<Tensor>> a = batcher.submit(rows(1), NO_DEADLINE);
        CompletableFuture<List<Tensor>> b = batcher.submit(rows(2), NO_DEADLINE);
        clock.advance(Duration.ofMillis(10));

        assertThat(result(a)).containsExactly(2f);
        assertThat(result(b)).containsExactly(4f);
        assertThat(engine.calls).containsExactly(2);
    }

    @Test
    void aRequestThatDoesNotFitWaitsForTheNextBatch() throws Exception {
        batcher(3, Duration.ofHours(1));

        CompletableFuture<List<Tensor>> a = batcher.submit(rows(1, 1), NO_DEADLINE);
        CompletableFuture<List<Tensor>> b = batcher.submit(rows(2, 2), NO_DEADLINE);
        CompletableFuture<List<Tensor>> c = batcher.submit(rows(3), NO_DEADLINE);
        clock.advance(Duration.ofHours(1));

        assertThat(result(a)).containsExactly(2f, 2f);
        assertThat(result(b)).containsExactly(4f, 4f);
        assertThat(result(c)).containsExactly(6f);
        assertThat(engine.calls).containsExactly(2, 3);
    }

    @Test
    void aBadRequestNeverFailsItsBatchMates() throws Exception {
        batcher(3, Duration.ofHours(1));

        CompletableFuture<List<Tensor>> good = batcher.submit(rows(1), NO_DEADLINE);
        CompletableFuture<List<Tensor>> bad = batcher.submit(rows(666), NO_DEADLINE);
        CompletableFuture<List<Tensor>> alsoGood = batcher.submit(rows(5), NO_DEADLINE);

        assertThat(result(good)).containsExactly(2f);
        assertThat(result(alsoGood)).containsExactly(10f);
        assertThat(bad)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_FAILURE));
        assertThat(engine.calls).containsExactly(3, 1, 1, 1);
    }

    @Test
    void expiredRequestsAreDroppedBeforeTheEngineSeesThem() throws Exception {
        batcher(2, Duration.ofHours(1));

        CompletableFuture<List<Tensor>> late =
                batcher.submit(rows(1), clock.nanos() + Duration.ofMillis(5).toNanos());
        clock.advance(Duration.ofMillis(10));
        CompletableFuture<List<Tensor>> onTime = batcher.submit(rows(7), NO_DEADLINE);

        assertThat(result(onTime)).containsExactly(14f);
        assertThat(late)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(engine.calls).containsExactly(1);
    }

    @Test
    void closingFailsWhatIsStillQueued() {
        batcher(8, Duration.ofHours(1));
        CompletableFuture<List<Tensor>> waiting = batcher.submit(rows(1), NO_DEADLINE);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats.executionCount() == 0);

        batcher.close();

        assertThat(waiting)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_READY));
        assertThat(engine.calls).isEmpty();
    }
}
