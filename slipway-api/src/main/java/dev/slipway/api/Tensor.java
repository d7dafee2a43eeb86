package dev.slipway.api;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor: datatype, shape and flat row-major values. Immutable once built; the value array is handed over, not
 * copied, so the creator must not change it afterwards.
 */
public final class Tensor {
    private final String name;
    private final DataType datatype;
    private final long[] shape;
    private final TensorData data;

    private Tensor(String name, DataType datatype, long[] shape, TensorData data) {
        this.name = requireNonNull(name, "name");
        this.datatype = requireNonNull(datatype, "datatype");
        this.shape = shape.clone();
        this.data = requireNonNull(data, "data");
        if (datatype.carrier() != data.carrier()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + datatype + " cannot hold " + data.carrier()
                    + " values (expected: " + datatype.carrier() + ")");
        }
        long count = elementCount(this.shape);
        if (count != data.size()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.size() + " values for shape "
                    + Arrays.toString(this.shape) + " (expected: " + count + ")");
        }
    }

    /**
     * Creates a tensor.
     *
     * @throws IllegalArgumentException if the values do not suit the datatype or their count is not the product of
     *     the shape
     */
    public static Tensor of(String name, DataType datatype, long[] shape, TensorData data) {
        return new Tensor(name, datatype, shape, data);
    }

    /** An FP32 tensor. */
    public static Tensor ofFloats(String name, long[] shape, float... values) {
        return new Tensor(name, DataType.FP32, shape, new TensorData.Floats(values));
    }

    /** An FP64 tensor. */
    public static Tensor ofDoubles(String name, long[] shape, double... values) {
        return new Tensor(name, DataType.FP64, shape, new TensorData.Doubles(values));
    }

    /** An INT32 tensor. */
    public static Tensor ofInts(String name, long[] shape, int... values) {
        return new Tensor(name, DataType.INT32, shape, new TensorData.Ints(values));
    }

    /** An INT64 tensor. */
    public static Tensor ofLongs(String name, long[] shape, long... values) {
        return new Tensor(name, DataType.INT64, shape, new TensorData.Longs(values));
    }

    /** A BOOL tensor. */
    public static Tensor ofBools(String name, long[] shape, boolean... values) {
        return new Tensor(name, DataType.BOOL, shape, new TensorData.Bools(values));
    }

    /** A BYTES tensor of UTF-8 strings. */
    public static Tensor ofStrings(String name, long[] shape, String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Tensor(name, DataType.BYTES, shape, new TensorData.Strings(bytes));
    }

    /** The product of a shape's dimensions; 1 for a scalar. */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** The tensor's name. */
    public String name() {
        return name;
    }

    /** The tensor's datatype. */
    public DataType datatype() {
        return datatype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code index} of the shape. */
    public long dim(int index) {
        return shape[index];
    }

    /** The number of elements. */
    public int size() {
        return data.size();
    }

    /** The element values. */
    public TensorData data() {
        return data;
    }

    /** The same values under another name. */
    public Tensor withName(String newName) {
        return new Tensor(newName, datatype, shape, data);
    }

    /** The same values under another shape with the same element count. */
    public Tensor reshape(long[] newShape) {
        return new Tensor(name, datatype, newShape, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor other
                && name.equals(other.name)
                && datatype == other.datatype
                && Arrays.equals(shape, other.shape)
                && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return name + ' ' + datatype + Arrays.toString(shape) + ' ' + data;
    }
}
