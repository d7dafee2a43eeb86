package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.DataType;
import java.util.List;

/**
 * How named features fill one of the model's input tensors: the tensor is {@code [rows, columns.size()]} of {@code
 * datatype}, column {@code i} holding feature {@code columns.get(i)}.
 *
 * @param name the model's input tensor name
 * @param datatype the tensor's datatype
 * @param columns feature names, in the model's column order
 */
public record TensorBinding(String name, DataType datatype, List<String> columns) {
    public TensorBinding {
        requireNonNull(name, "name");
        requireNonNull(datatype, "datatype");
        columns = List.copyOf(columns);
    }
}
