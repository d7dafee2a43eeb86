package dev.slipway.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An inference request in tensor form, whatever protocol carried it.
 *
 * @param model the model name
 * @param version the requested version, or {@code null} for the server's choice (the highest ready version)
 * @param id the caller's request id, echoed in the response; {@code null} when absent
 * @param inputs the input tensors, either the model's own input tensors or one tensor per named feature
 * @param outputs the outputs asked for; empty means every output
 * @param parameters request parameters (string, number or boolean values); unknown ones are ignored
 */
public record InferenceRequest(
        String model,
        @Nullable String version,
        @Nullable String id,
        List<Tensor> inputs,
        List<RequestedOutput> outputs,
        Map<String, Object> parameters) {
    public InferenceRequest {
        requireNonNull(model, "model");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        parameters = Map.copyOf(parameters);
    }
}
