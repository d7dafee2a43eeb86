package dev.slipway.inference;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.Ticker;
import dev.slipway.contract.BoundBatch;
import dev.slipway.spi.ModelInstance;
import dev.slipway.trace.Spans;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Runs the engine calls of one model version: on the caller's thread, or through its dynamic batcher. */
final class ModelRunner implements AutoCloseable {
    private final ModelInstance engine;
    private final Ticker ticker;
    private final ModelStats stats;
    private final @Nullable DynamicBatcher batcher;
    private final int maxBatchSize;

    ModelRunner(String label, ModelInstance engine, ServingOptions options, Ticker ticker, ModelStats stats) {
        this.engine = engine;
        this.ticker = ticker;
        this.stats = stats;
        this.batcher = options.batching() ? new DynamicBatcher(label, engine, options, ticker, stats) : null;
        this.maxBatchSize = options.maxBatchSize();
    }

    /**
     * Runs one request's engine call. A request that fills a batch on its own gains nothing from waiting for company,
     * so it runs on the calling thread like an unbatched one.
     */
    CompletableFuture<List<Tensor>> run(BoundBatch batch, long deadlineNanos) {
        if (batcher != null && batch.rows() < maxBatchSize) {
            return batcher.submit(batch, deadlineNanos);
        }
        try {
            if (ticker.nanos() - deadlineNanos >= 0) {
                throw new SlipwayException(
                        ErrorCode.DEADLINE_EXCEEDED, "deadline passed before inference; dropped before the engine");
            }
            Span span = Spans.start(Spans.ENGINE);
            long start = ticker.nanos();
            List<Tensor> outputs;
            try {
                outputs = engine.infer(batch.inputs());
            } catch (RuntimeException e) {
                Spans.end(span, e);
                throw e;
            }
            stats.executed(batch.rows(), ticker.nanos() - start);
            if (span != null) {
                span.setAttribute("slipway.batch_rows", batch.rows());
                span.end();
            }
            return CompletableFuture.completedFuture(outputs);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Requests waiting in the batcher. */
    int queued() {
        return batcher == null ? 0 : batcher.queued();
    }

    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
    }
}
