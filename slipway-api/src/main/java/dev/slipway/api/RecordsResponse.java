package dev.slipway.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link RecordsRequest}: one map of output name to value per row.
 *
 * @param model the model name
 * @param version the version that answered
 * @param predictions one entry per input row, in input order
 */
public record RecordsResponse(String model, String version, List<Map<String, Object>> predictions) {
    public RecordsResponse {
        requireNonNull(model, "model");
        requireNonNull(version, "version");
        predictions = List.copyOf(predictions);
    }
}
