package dev.slipway.contract;

import dev.slipway.api.DataType;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;

/** Conversions between tensor datatypes and layouts. */
public final class Tensors {
    private Tensors() {}

    /** A tensor of {@code type} holding {@code values} converted from doubles (integers truncated, booleans nonzero). */
    public static Tensor fromDoubles(String name, DataType type, long[] shape, double[] values) {
        return Tensor.of(name, type, shape, dataFromDoubles(type, values));
    }

    static TensorData dataFromDoubles(DataType type, double[] values) {
        int n = values.length;
        return switch (type.carrier()) {
            case FLOAT -> {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) values[i];
                }
                yield new TensorData.Floats(out);
            }
            case DOUBLE -> new TensorData.Doubles(values);
            case INT -> {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (int) values[i];
                }
                yield new TensorData.Ints(out);
            }
            case LONG -> {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (long) values[i];
                }
                yield new TensorData.Longs(out);
            }
            case BOOL -> {
                boolean[] out = new boolean[n];
                for (int i = 0; i < n; i++) {
                    out[i] = values[i] != 0 && !Double.isNaN(values[i]);
                }
                yield new TensorData.Bools(out);
            }
            case HALF, BYTES -> throw SlipwayException.unsupported("cannot convert numbers to %s", type);
        };
    }

    /** Every element as a double. */
    public static double[] toDoubles(Tensor tensor) {
        TensorData data = tensor.data();
        if (data instanceof TensorData.Doubles doubles) {
            return doubles.values();
        }
        double[] out = new double[data.size()];
        if (data instanceof TensorData.Floats floats) {
            float[] values = floats.values();
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i];
            }
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = data.asDouble(i);
        }
        return out;
    }

    /** The same values as another datatype; the tensor itself when it already has it. */
    public static Tensor convert(Tensor tensor, DataType type) {
        if (tensor.datatype() == type) {
            return tensor;
        }
        if (tensor.datatype().carrier() == type.carrier()) {
            return Tensor.of(tensor.name(), type, tensor.shape(), tensor.data());
        }
        if (!tensor.datatype().numeric() && tensor.datatype() != DataType.BOOL) {
            throw SlipwayException.unsupported(
                    "cannot convert %s output '%s' to %s", tensor.datatype(), tensor.name(), type);
        }
        return fromDoubles(tensor.name(), type, tensor.shape(), toDoubles(tensor));
    }

    /** Column {@code column} of a {@code [rows, k]} tensor, as a {@code [rows]} tensor of the same datatype. */
    public static Tensor column(Tensor tensor, int column) {
        int rows = (int) tensor.dim(0);
        int width = tensor.rank() == 1 ? 1 : (int) (tensor.size() / Math.max(1, rows));
        if (column >= width) {
            throw new SlipwayException(
                    dev.slipway.api.ErrorCode.ENGINE_FAILURE,
                    "engine output '" + tensor.name() + "' has " + width + " columns (expected: more than " + column
                            + ")");
        }
        long[] shape = {rows};
        TensorData data = tensor.data();
        if (data instanceof TensorData.Floats floats) {
            float[] out = new float[rows];
            for (int r = 0; r < rows; r++) {
                out[r] = floats.values()[r * width + column];
            }
            return Tensor.of(tensor.name(), tensor.datatype(), shape, new TensorData.Floats(out));
        }
        if (data instanceof TensorData.Longs longs) {
            long[] out = new long[rows];
            for (int r = 0; r < rows; r++) {
                out[r] = longs.values()[r * width + column];
            }
            return Tensor.of(tensor.name(), tensor.datatype(), shape, new TensorData.Longs(out));
        }
        if (data instanceof TensorData.Strings strings) {
            byte[][] out = new byte[rows][];
            for (int r = 0; r < rows; r++) {
                out[r] = strings.values()[r * width + column];
            }
            return Tensor.of(tensor.name(), tensor.datatype(), shape, new TensorData.Strings(out));
        }
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = data.asDouble(r * width + column);
        }
        DataType type =
                tensor.datatype().numeric() || tensor.datatype() == DataType.BOOL ? tensor.datatype() : DataType.FP64;
        return fromDoubles(tensor.name(), type, shape, out);
    }
}
