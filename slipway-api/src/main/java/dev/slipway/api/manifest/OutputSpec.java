package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.DataType;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An output the service returns, derived from one of the engine's output tensors.
 *
 * @param name the served output name ({@code stall_probability})
 * @param from the engine output tensor it comes from ({@code probabilities})
 * @param column the column taken from a {@code [rows, k]} engine output; {@code null} to take the whole tensor
 * @param datatype the served datatype
 * @param kind what the values mean
 * @param description for humans
 * @param threshold decision threshold: a row is positive when its value is {@code >=} it (PROBABILITY and SCORE)
 * @param decision the name of the derived BOOL output ({@code stalled}); requires a threshold
 * @param labels the class label of each column, in order, for the classification extension; empty without labels
 */
public record OutputSpec(
        String name,
        String from,
        @Nullable Integer column,
        DataType datatype,
        OutputKind kind,
        @Nullable String description,
        @Nullable Double threshold,
        @Nullable String decision,
        List<String> labels) {
    public OutputSpec {
        requireNonNull(name, "name");
        labels = List.copyOf(labels);
        requireNonNull(from, "from");
        requireNonNull(datatype, "datatype");
        requireNonNull(kind, "kind");
    }
}
