package dev.slipway.bench;

import dev.slipway.api.Tensor;
import dev.slipway.contract.BoundBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Data-contract validation of the stall detector's ten features, as tensors and as records. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ContractBenchmark {
    @Param({"1", "64"})
    int rows;

    SampleModel model;
    List<Tensor> tensors;
    List<Map<String, @Nullable Object>> records;

    @Setup
    public void prepare() {
        model = new SampleModel(1);
        tensors = SampleModel.inputs(rows);
        Map<String, @Nullable Object> record = new LinkedHashMap<>();
        List<String> columns = model.manifest.tensors().get(0).columns();
        for (int c = 0; c < columns.size(); c++) {
            record.put(columns.get(c), (double) SampleModel.ROW[c]);
        }
        record.put("road_type", "highway");
        record.put("in_geofence", false);
        record.put("ignition_on", true);
        records = java.util.Collections.nCopies(rows, record);
    }

    @Benchmark
    public BoundBatch modelTensor() {
        return model.contract.bindTensors(tensors);
    }

    @Benchmark
    public BoundBatch records() {
        return model.contract.bindRecords(records);
    }
}
