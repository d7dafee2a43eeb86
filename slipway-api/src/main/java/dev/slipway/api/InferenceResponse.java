package dev.slipway.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The answer to an {@link InferenceRequest}.
 *
 * @param model the model name
 * @param version the version that answered
 * @param id the request's id, or {@code null} when the request had none
 * @param outputs the output tensors, in the order the caller asked for them (or the model's order)
 * @param parameters response parameters
 */
public record InferenceResponse(
        String model, String version, @Nullable String id, List<Tensor> outputs, Map<String, Object> parameters) {
    public InferenceResponse {
        requireNonNull(model, "model");
        requireNonNull(version, "version");
        outputs = List.copyOf(outputs);
        parameters = Map.copyOf(parameters);
    }
}
