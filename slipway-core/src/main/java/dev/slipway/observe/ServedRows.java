package dev.slipway.observe;

import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.FeatureType;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.TensorBinding;
import dev.slipway.contract.DataContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A served request's rows as named values: the features of each row and the predictions of each row, whatever protocol
 * carried them. Records are taken as sent; tensors are named through the manifest (a model tensor's columns by its
 * tensor binding, feature tensors by their own names), with categorical codes turned back into category names,
 * boolean features into {@code true}/{@code false}, whole int features into integers and missing values ({@code NaN})
 * into {@code null}. Meant for the
 * listeners' own threads, not the request path.
 */
public final class ServedRows {
    private ServedRows() {}

    /**
     * The features of each row; {@code null} when they cannot be named (no manifest for a tensor request, or tensors
     * that match neither the model's inputs nor its features, as in a refused request).
     */
    public static @Nullable List<Map<String, @Nullable Object>> features(
            @Nullable Object request, @Nullable ModelManifest manifest) {
        if (request instanceof RecordsRequest records) {
            return records.instances();
        }
        if (!(request instanceof InferenceRequest tensors) || manifest == null) {
            return null;
        }
        try {
            return tensorFeatures(tensors, manifest);
        } catch (RuntimeException e) {
            // a refused request may carry tensors of any shape: they are not named rather than misnamed
            return null;
        }
    }

    private static @Nullable List<Map<String, @Nullable Object>> tensorFeatures(
            InferenceRequest request, ModelManifest manifest) {
        int rows = Served.rows(request);
        List<Tensor> inputs = request.inputs();
        Map<String, TensorBinding> bindings = new HashMap<>();
        for (TensorBinding binding : manifest.tensors()) {
            bindings.put(binding.name(), binding);
        }
        boolean modelTensors = !inputs.isEmpty() && inputs.stream().allMatch(t -> bindings.containsKey(t.name()));
        boolean featureTensors = !inputs.isEmpty()
                && inputs.stream().allMatch(t -> manifest.feature(t.name()).isPresent());
        if (!modelTensors && !featureTensors) {
            return null;
        }
        List<Map<String, @Nullable Object>> result = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            result.add(new LinkedHashMap<>());
        }
        for (Tensor input : inputs) {
            if (input.size() < rows) {
                return null;
            }
            List<String> columns = modelTensors
                    ? java.util.Objects.requireNonNull(bindings.get(input.name()))
                            .columns()
                    : List.of(input.name());
            int width = columns.size();
            if (input.size() != rows * width) {
                return null;
            }
            for (int c = 0; c < width; c++) {
                FeatureSpec feature = manifest.feature(columns.get(c)).orElse(null);
                for (int row = 0; row < rows; row++) {
                    result.get(row).put(columns.get(c), value(input.data(), row * width + c, feature));
                }
            }
        }
        return result;
    }

    private static @Nullable Object value(TensorData data, int index, @Nullable FeatureSpec feature) {
        if (data instanceof TensorData.Strings strings) {
            return strings.text(index);
        }
        if (data instanceof TensorData.Bools bools) {
            return bools.values()[index];
        }
        double number = data.asDouble(index);
        if (Double.isNaN(number)) {
            return null;
        }
        if (feature != null && feature.type() == FeatureType.CATEGORICAL && number == Math.rint(number)) {
            Object name =
                    feature.category((int) number).map(c -> (Object) c.name()).orElse(null);
            if (name != null) {
                return name;
            }
        }
        if (feature != null && feature.type() == FeatureType.BOOL && (number == 0 || number == 1)) {
            return number == 1;
        }
        if (feature != null && feature.type() == FeatureType.INT && number == Math.rint(number)) {
            return (long) number;
        }
        if (data instanceof TensorData.Floats floats) {
            return floats.values()[index];
        }
        if (data instanceof TensorData.Ints ints) {
            return ints.values()[index];
        }
        if (data instanceof TensorData.Longs longs) {
            return longs.values()[index];
        }
        return number;
    }

    /** The predictions of each row (output name to value, or list of values); {@code null} without a response. */
    public static @Nullable List<Map<String, Object>> predictions(@Nullable Object response) {
        if (response instanceof RecordsResponse records) {
            return records.predictions();
        }
        if (response instanceof InferenceResponse tensors) {
            List<Tensor> outputs = tensors.outputs();
            if (outputs.isEmpty()) {
                return List.of();
            }
            Tensor first = outputs.get(0);
            int rows = first.rank() == 0 ? 1 : (int) first.dim(0);
            return DataContract.toRecords(outputs, rows);
        }
        return null;
    }
}
