package dev.slipway.bench;

import dev.slipway.api.Tensor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-process compute limit: engine calls on the stall detector from as many threads as there are cores, no
 * protocol, no contract; rows per second = calls per second × rows. Version 1 is the XGBoost model (JVM tree
 * evaluator), version 2 the same trees in ONNX Runtime.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(Threads.MAX)
public class ComputeLimitBenchmark {
    @Param({"1", "2"})
    int version;

    @Param({"1", "64", "1024"})
    int rows;

    SampleModel model;
    List<Tensor> inputs;

    @Setup
    public void load() {
        model = new SampleModel(version);
        inputs = SampleModel.inputs(rows);
    }

    @TearDown
    public void close() {
        model.instance.close();
    }

    @Benchmark
    public List<Tensor> engineCall() {
        return model.instance.infer(inputs);
    }
}
