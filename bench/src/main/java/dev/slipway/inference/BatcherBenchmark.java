package dev.slipway.inference;

import dev.slipway.api.DataType;
import dev.slipway.api.Tensor;
import dev.slipway.api.Ticker;
import dev.slipway.contract.BoundBatch;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of handing one request to a batch worker and getting its rows back, against calling the engine on the
 * caller's thread; the engine answers at once, so only the hand-off is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BatcherBenchmark {
    ModelRunner direct;
    ModelRunner batched;
    BoundBatch batch;

    static final class EchoEngine implements ModelInstance {
        @Override
        public Signature signature() {
            return new Signature(
                    List.of(TensorSpec.of("x", DataType.FP32, -1, 10)), List.of(TensorSpec.of("x", DataType.FP32, -1, 10)));
        }

        @Override
        public List<Tensor> infer(List<Tensor> inputs) {
            return inputs;
        }

        @Override
        public void close() {}
    }

    @Setup
    public void start() {
        EchoEngine engine = new EchoEngine();
        direct = new ModelRunner("direct", engine, ServingOptions.defaults(), Ticker.system(), new ModelStats());
        batched = new ModelRunner(
                "batched", engine, new ServingOptions(64, Duration.ZERO, 1024, 1), Ticker.system(), new ModelStats());
        batch = new BoundBatch(List.of(Tensor.ofFloats("x", new long[] {1, 10}, new float[10])), 1);
    }

    @TearDown
    public void stop() {
        batched.close();
    }

    @Benchmark
    public List<Tensor> direct() {
        return direct.run(batch, Long.MAX_VALUE).join();
    }

    @Benchmark
    public List<Tensor> handOffToBatcher() {
        return batched.run(batch, Long.MAX_VALUE).join();
    }
}
