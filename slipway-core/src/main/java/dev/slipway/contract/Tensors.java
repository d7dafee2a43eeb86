package dev.slipway.contract;

import dev.slipway.api.DataType;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import java.util.List;

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

    /** Joins tensors of the same name, datatype and trailing shape along the first (batch) dimension. */
    public static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        long rows = 0;
        int size = 0;
        for (Tensor part : parts) {
            rows += part.dim(0);
            size += part.size();
        }
        long[] shape = first.shape();
        shape[0] = rows;
        Object joined = newArray(first.data(), size);
        int offset = 0;
        for (Tensor part : parts) {
            Object values = array(part.data());
            System.arraycopy(values, 0, joined, offset, part.size());
            offset += part.size();
        }
        return Tensor.of(first.name(), first.datatype(), shape, wrap(first.data(), joined));
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of a tensor whose first dimension is the batch. */
    public static Tensor rows(Tensor tensor, int from, int to) {
        long total = tensor.dim(0);
        if (from == 0 && to == total) {
            return tensor;
        }
        int width = total == 0 ? 0 : (int) (tensor.size() / total);
        long[] shape = tensor.shape();
        shape[0] = to - from;
        Object part = newArray(tensor.data(), (to - from) * width);
        System.arraycopy(array(tensor.data()), from * width, part, 0, (to - from) * width);
        return Tensor.of(tensor.name(), tensor.datatype(), shape, wrap(tensor.data(), part));
    }

    private static Object array(TensorData data) {
        if (data instanceof TensorData.Floats d) {
            return d.values();
        } else if (data instanceof TensorData.Doubles d) {
            return d.values();
        } else if (data instanceof TensorData.Ints d) {
            return d.values();
        } else if (data instanceof TensorData.Longs d) {
            return d.values();
        } else if (data instanceof TensorData.Bools d) {
            return d.values();
        } else if (data instanceof TensorData.Halfs d) {
            return d.values();
        }
        return ((TensorData.Strings) data).values();
    }

    private static Object newArray(TensorData like, int size) {
        return switch (like.carrier()) {
            case FLOAT -> new float[size];
            case DOUBLE -> new double[size];
            case INT -> new int[size];
            case LONG -> new long[size];
            case BOOL -> new boolean[size];
            case HALF -> new short[size];
            case BYTES -> new byte[size][];
        };
    }

    private static TensorData wrap(TensorData like, Object values) {
        return switch (like.carrier()) {
            case FLOAT -> new TensorData.Floats((float[]) values);
            case DOUBLE -> new TensorData.Doubles((double[]) values);
            case INT -> new TensorData.Ints((int[]) values);
            case LONG -> new TensorData.Longs((long[]) values);
            case BOOL -> new TensorData.Bools((boolean[]) values);
            case HALF -> new TensorData.Halfs((short[]) values);
            case BYTES -> new TensorData.Strings((byte[][]) values);
        };
    }
}
