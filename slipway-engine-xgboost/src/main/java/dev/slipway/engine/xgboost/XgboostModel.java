package dev.slipway.engine.xgboost;

import dev.slipway.api.DataType;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.Signature;
import java.util.Arrays;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.jspecify.annotations.Nullable;

/**
 * One XGBoost model, predicted by the verified JVM tree evaluator when there is one, otherwise by XGBoost's in-place
 * prediction; both are thread-safe, so calls run concurrently.
 */
final class XgboostModel implements ModelInstance {
    private final Booster booster;
    private final @Nullable TreeEnsemble ensemble;
    private final Signature signature;
    private final int features;
    private final int width;

    XgboostModel(Booster booster, @Nullable TreeEnsemble ensemble, Signature signature, int features, int width) {
        this.booster = booster;
        this.ensemble = ensemble;
        this.signature = signature;
        this.features = features;
        this.width = width;
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public List<Tensor> infer(List<Tensor> inputs) {
        if (inputs.size() != 1 || !inputs.get(0).name().equals(XgboostEngine.INPUT)) {
            throw SlipwayException.invalidInput(
                    "inputs %s (expected: one input '%s')",
                    inputs.stream().map(Tensor::name).toList(), XgboostEngine.INPUT);
        }
        Tensor input = inputs.get(0);
        if (input.datatype() != DataType.FP32) {
            throw SlipwayException.invalidInput(
                    "input '%s': datatype %s (expected: FP32)", input.name(), input.datatype());
        }
        if (input.rank() != 2 || input.dim(1) != features) {
            throw SlipwayException.invalidInput(
                    "input '%s': shape %s (expected: [rows, %d])",
                    input.name(), Arrays.toString(input.shape()), features);
        }
        int rows = (int) input.dim(0);
        float[] out = new float[rows * width];
        float[] x = ((TensorData.Floats) input.data()).values();
        if (rows > 0 && ensemble != null) {
            ensemble.predict(x, rows, out);
        } else if (rows > 0) {
            float[][] predictions;
            try {
                predictions =
                        booster.inplace_predict(((TensorData.Floats) input.data()).values(), rows, features, Float.NaN);
            } catch (XGBoostError | RuntimeException e) {
                throw SlipwayException.engineFailure("xgboost failed: " + XgboostEngine.firstLine(e), e);
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(predictions[r], 0, out, r * width, width);
            }
        }
        long[] shape = width == 1 ? new long[] {rows} : new long[] {rows, width};
        return List.of(Tensor.ofFloats(XgboostEngine.OUTPUT, shape, out));
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
