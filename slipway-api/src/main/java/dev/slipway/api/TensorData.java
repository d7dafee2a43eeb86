package dev.slipway.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The flat, row-major element values of a tensor, held in the primitive array of its datatype's {@link
 * DataType.Carrier}. Arrays are not copied: callers hand them over and must not change them afterwards.
 */
public sealed interface TensorData
        permits TensorData.Bools,
                TensorData.Ints,
                TensorData.Longs,
                TensorData.Halfs,
                TensorData.Floats,
                TensorData.Doubles,
                TensorData.Strings {

    /** Number of elements. */
    int size();

    /** The carrier kind of these values. */
    DataType.Carrier carrier();

    /** Element {@code index} as a double (booleans as 0/1); {@code NaN} for byte strings and half floats. */
    double asDouble(int index);

    /** Element {@code index} rendered for error messages. */
    String render(int index);

    /** {@code boolean[]} values. */
    record Bools(boolean[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public DataType.Carrier carrier() {
            return DataType.Carrier.BOOL;
        }

        @Override
        public double asDouble(int index) {
            return values[index] ? 1 : 0;
        }

        @Override
        public String render(int index) {
            return Boolean.toString(values[index]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bools other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** {@code int[]} values: INT8, INT16, INT32, UINT8, UINT16. */
    record Ints(int[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public DataType.Carrier carrier() {
            return DataType.Carrier.INT;
        }

        @Override
        public double asDouble(int index) {
            return values[index];
        }

        @Override
        public String render(int index) {
            return Integer.toString(values[index]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ints other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** {@code long[]} values: INT64, UINT32, UINT64. */
    record Longs(long[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public DataType.Carrier carrier() {
            return DataType.Carrier.LONG;
        }

        @Override
        public double asDouble(int index) {
            return values[index];
        }

        @Override
        public String render(int index) {
            return Long.toString(values[index]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Longs other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** Raw 16-bit float bits: FP16 and BF16. */
    record Halfs(short[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public DataType.Carrier carrier() {
            return DataType.Carrier.HALF;
        }

        @Override
        public double asDouble(int index) {
            return Double.NaN;
        }

        @Override
        public String render(int index) {
            return "0x" + Integer.toHexString(values[index] & 0xFFFF);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Halfs other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** {@code float[]} values: FP32. */
    record Floats(float[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public DataType.Carrier carrier() {
            return DataType.Carrier.FLOAT;
        }

        @Override
        public double asDouble(int index) {
            return values[index];
        }

        @Override
        public String render(int index) {
            return Float.toString(values[index]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Floats other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** {@code double[]} values: FP64. */
    record Doubles(double[] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public DataType.Carrier carrier() {
            return DataType.Carrier.DOUBLE;
        }

        @Override
        public double asDouble(int index) {
            return values[index];
        }

        @Override
        public String render(int index) {
            return Double.toString(values[index]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Doubles other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** Byte strings: BYTES. */
    record Strings(byte[][] values) implements TensorData {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public DataType.Carrier carrier() {
            return DataType.Carrier.BYTES;
        }

        @Override
        public double asDouble(int index) {
            return Double.NaN;
        }

        @Override
        public String render(int index) {
            return '"' + text(index) + '"';
        }

        /** Element {@code index} decoded as UTF-8. */
        public String text(int index) {
            return new String(values[index], StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Strings other && Arrays.deepEquals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(values);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < values.length; i++) {
                out.append(i == 0 ? "" : ", ").append(render(i));
            }
            return out.append(']').toString();
        }
    }
}
