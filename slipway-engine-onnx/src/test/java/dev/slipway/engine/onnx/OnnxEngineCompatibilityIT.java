package dev.slipway.engine.onnx;

import dev.slipway.api.DataType;
import dev.slipway.api.Tensor;
import dev.slipway.spi.Engine;
import dev.slipway.testing.EngineCompatibilityKit;
import dev.slipway.testing.Fixtures;
import dev.slipway.testing.KnownAnswers;
import java.nio.file.Path;
import java.util.List;

class OnnxEngineCompatibilityIT extends EngineCompatibilityKit {
    private static final long[] SHAPE = {3, 2};

    @Override
    protected Engine engine() {
        return new OnnxEngine();
    }

    @Override
    protected Path fixture(Path directory) {
        return Fixtures.copy("linear.onnx", directory);
    }

    @Override
    protected KnownAnswers knownAnswers() {
        List<double[]> rows = Fixtures.csv("linear-expected.csv");
        Tensor x = Tensor.ofFloats("x", new long[] {rows.size(), 3}, Fixtures.floats(rows, 0, 3));
        return new KnownAnswers(List.of(x), "y", Fixtures.doubles(rows, 3, 4), 1e-6);
    }

    @Override
    protected List<DatatypeCase> datatypeCases() {
        List<Tensor> inputs = List.of(
                Tensor.ofFloats("f32", SHAPE, 1.5f, -2f, 0f, 3.25f, 7f, -0.5f),
                Tensor.ofDoubles("f64", SHAPE, 1e-300, -2.5, 0, 1e300, 7, -0.125),
                Tensor.ofInts("i32", SHAPE, 1, -2, 0, 1_000_000, 7, -5),
                Tensor.ofLongs("i64", SHAPE, 1, -2, 0, 1L << 40, 7, -5),
                Tensor.ofBools("b", SHAPE, true, false, true, true, false, false));
        return List.of(
                datatype(DataType.FP32, inputs, "f32_out", 3, -4, 0, 6.5, 14, -1),
                datatype(DataType.FP64, inputs, "f64_out", 2e-300, -5, 0, 2e300, 14, -0.25),
                datatype(DataType.INT32, inputs, "i32_out", 2, -4, 0, 2_000_000, 14, -10),
                datatype(DataType.INT64, inputs, "i64_out", 2, -4, 0, 1L << 41, 14, -10),
                datatype(DataType.BOOL, inputs, "b_out", 0, 1, 0, 0, 1, 1));
    }

    private static DatatypeCase datatype(DataType type, List<Tensor> inputs, String output, double... expected) {
        return new DatatypeCase(
                directory -> Fixtures.copy("dtypes.onnx", directory),
                type,
                new KnownAnswers(inputs, output, expected, 0));
    }
}
