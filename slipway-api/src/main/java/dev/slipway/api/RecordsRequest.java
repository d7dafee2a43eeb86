package dev.slipway.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An inference request in record form: one map of feature name to value per row, as the KServe V1 protocol sends it.
 * Values are numbers, booleans, strings (category names) or {@code null}.
 *
 * @param model the model name
 * @param version the requested version, or {@code null} for the server's choice
 * @param instances the rows
 */
public record RecordsRequest(String model, @Nullable String version, List<Map<String, @Nullable Object>> instances) {
    public RecordsRequest {
        requireNonNull(model, "model");
        instances = Collections.unmodifiableList(List.copyOf(instances));
    }
}
