package dev.slipway.api;

import java.util.List;

/** Tensors split and joined along their first (batch) dimension: how batches of rows are formed and taken apart. */
public final class Batches {
    private Batches() {}

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
