package dev.slipway.inference;

import static java.util.Objects.requireNonNull;

import dev.slipway.spi.TensorSpec;
import java.util.List;
import java.util.Map;

/**
 * What a client learns about a model version: the Open Inference Protocol's model metadata.
 *
 * @param name the model name
 * @param versions the versions that can be requested explicitly (ready ones)
 * @param platform the runtime, informational ({@code onnxruntime_onnx}, {@code xgboost}, {@code slipway_rules})
 * @param inputs the input tensors clients send
 * @param outputs the output tensors the service returns
 * @param properties everything else: state, reason, contract of each feature, owners, SLO, parity result
 */
public record ModelMetadata(
        String name,
        List<String> versions,
        String platform,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        Map<String, String> properties) {
    public ModelMetadata {
        requireNonNull(name, "name");
        requireNonNull(platform, "platform");
        versions = List.copyOf(versions);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
}
