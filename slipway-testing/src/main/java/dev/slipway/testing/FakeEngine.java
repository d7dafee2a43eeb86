package dev.slipway.testing;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine without native code for tests of everything around engines: format {@code fake}, a logistic model written
 * as a properties file. Input {@code input} FP32 {@code [rows, k]}; outputs {@code label} INT64 {@code [rows]} and
 * {@code probabilities} FP32 {@code [rows, 2]}, where p = sigmoid(x · weights + bias) and a missing value adds 0.
 *
 * <pre>
 * weights=0.5,-1.25,2.0
 * bias=0.25
 * fail-above=100       # optional: ENGINE_FAILURE when the first column of any row exceeds this
 * </pre>
 */
public final class FakeEngine implements Engine {
    /** Calls to {@link ModelInstance#infer} across all instances, so tests can count engine executions. */
    public static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public String format() {
        return "fake";
    }

    @Override
    public ModelInstance load(ModelArtifact artifact) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(artifact.file())) {
            properties.load(reader);
            float[] weights = parse(properties.getProperty("weights", ""));
            float bias = Float.parseFloat(properties.getProperty("bias", "0"));
            String failAbove = properties.getProperty("fail-above");
            return new Instance(weights, bias, failAbove == null ? Double.NaN : Double.parseDouble(failAbove));
        } catch (IOException | RuntimeException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "fake model '" + artifact.file().getFileName() + "' is invalid: " + e, e);
        }
    }

    /** Writes a fake model file. */
    public static Path write(Path file, float[] weights, float bias) {
        StringBuilder text = new StringBuilder("weights=");
        for (int i = 0; i < weights.length; i++) {
            text.append(i == 0 ? "" : ",").append(weights[i]);
        }
        text.append("\nbias=").append(bias).append('\n');
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static float[] parse(String text) {
        String[] parts = text.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i].strip());
        }
        if (out.length == 0) {
            throw new IllegalArgumentException("no weights");
        }
        return out;
    }

    private static final class Instance implements ModelInstance {
        private final float[] weights;
        private final float bias;
        private final double failAbove;
        private final Signature signature;

        Instance(float[] weights, float bias, double failAbove) {
            this.weights = weights;
            this.bias = bias;
            this.failAbove = failAbove;
            this.signature = new Signature(
                    List.of(TensorSpec.of("input", DataType.FP32, -1, weights.length)),
                    List.of(
                            TensorSpec.of("label", DataType.INT64, -1),
                            TensorSpec.of("probabilities", DataType.FP32, -1, 2)));
        }

        @Override
        public Signature signature() {
            return signature;
        }

        @Override
        public List<Tensor> infer(List<Tensor> inputs) {
            CALLS.incrementAndGet();
            if (inputs.size() != 1 || !inputs.get(0).name().equals("input")) {
                throw SlipwayException.invalidInput("expected one input named 'input', got %d", inputs.size());
            }
            Tensor input = inputs.get(0);
            if (input.datatype() != DataType.FP32 || input.rank() != 2 || input.dim(1) != weights.length) {
                throw SlipwayException.invalidInput(
                        "input: %s%s (expected: FP32[-1, %d])",
                        input.datatype(), Arrays.toString(input.shape()), weights.length);
            }
            float[] x = ((TensorData.Floats) input.data()).values();
            int rows = (int) input.dim(0);
            long[] labels = new long[rows];
            float[] probabilities = new float[rows * 2];
            for (int r = 0; r < rows; r++) {
                if (x[r * weights.length] > failAbove) {
                    throw new SlipwayException(ErrorCode.ENGINE_FAILURE, "fake engine failure on row " + r);
                }
                double z = bias;
                for (int c = 0; c < weights.length; c++) {
                    float value = x[r * weights.length + c];
                    z += Float.isNaN(value) ? 0 : value * weights[c];
                }
                float p = (float) (1 / (1 + Math.exp(-z)));
                probabilities[2 * r] = 1 - p;
                probabilities[2 * r + 1] = p;
                labels[r] = p >= 0.5f ? 1 : 0;
            }
            return List.of(
                    Tensor.ofLongs("label", new long[] {rows}, labels),
                    Tensor.ofFloats("probabilities", new long[] {rows, 2}, probabilities));
        }

        @Override
        public void close() {}
    }
}
