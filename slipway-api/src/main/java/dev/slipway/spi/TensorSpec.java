package dev.slipway.spi;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.DataType;
import java.util.List;

/**
 * A tensor a model takes or returns.
 *
 * @param name the tensor's name
 * @param datatype its datatype
 * @param shape its dimensions, {@code -1} where variable (the batch dimension first)
 * @param columnNames the names the artifact gives the columns of a {@code [rows, k]} tensor (XGBoost feature names),
 *     or empty when it gives none
 */
public record TensorSpec(String name, DataType datatype, List<Long> shape, List<String> columnNames) {
    public TensorSpec {
        requireNonNull(name, "name");
        requireNonNull(datatype, "datatype");
        shape = List.copyOf(shape);
        columnNames = List.copyOf(columnNames);
    }

    /** A tensor without column names. */
    public static TensorSpec of(String name, DataType datatype, long... shape) {
        return new TensorSpec(
                name, datatype, java.util.Arrays.stream(shape).boxed().toList(), List.of());
    }

    /** The shape as an array. */
    public long[] shapeArray() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }
}
