package dev.slipway.server;

import dev.slipway.api.DataType;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The raw tensor layout shared by the HTTP binary extension and gRPC {@code raw_input_contents}/{@code
 * raw_output_contents}: little-endian, native width per element, BOOL one byte, BYTES a 4-byte little-endian length
 * before each element.
 */
public final class RawTensors {
    private RawTensors() {}

    /**
     * Reads {@code count} elements of {@code type} from a little-endian buffer holding exactly them.
     *
     * @param subject names the tensor in error messages
     * @throws SlipwayException {@code INVALID_INPUT} when the byte count does not match
     */
    public static TensorData read(ByteBuffer raw, DataType type, int count, String subject) {
        ByteBuffer in = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (type == DataType.BYTES) {
            return readStrings(in, count, subject);
        }
        long expected = (long) count * type.byteSize();
        if (in.remaining() != expected) {
            throw SlipwayException.invalidInput(
                    "%s: %d bytes of raw data (expected: %d, %d elements of %s)",
                    subject, in.remaining(), expected, count, type);
        }
        return switch (type) {
            case FP32 -> {
                float[] out = new float[count];
                in.asFloatBuffer().get(out);
                yield new TensorData.Floats(out);
            }
            case FP64 -> {
                double[] out = new double[count];
                in.asDoubleBuffer().get(out);
                yield new TensorData.Doubles(out);
            }
            case INT64, UINT64 -> {
                long[] out = new long[count];
                in.asLongBuffer().get(out);
                yield new TensorData.Longs(out);
            }
            case INT32 -> {
                int[] out = new int[count];
                in.asIntBuffer().get(out);
                yield new TensorData.Ints(out);
            }
            case UINT32 -> {
                long[] out = new long[count];
                for (int i = 0; i < count; i++) {
                    out[i] = in.getInt() & 0xFFFF_FFFFL;
                }
                yield new TensorData.Longs(out);
            }
            case INT16, UINT16 -> {
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    short value = in.getShort();
                    out[i] = type == DataType.UINT16 ? value & 0xFFFF : value;
                }
                yield new TensorData.Ints(out);
            }
            case INT8, UINT8 -> {
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    byte value = in.get();
                    out[i] = type == DataType.UINT8 ? value & 0xFF : value;
                }
                yield new TensorData.Ints(out);
            }
            case BOOL -> {
                boolean[] out = new boolean[count];
                for (int i = 0; i < count; i++) {
                    out[i] = in.get() != 0;
                }
                yield new TensorData.Bools(out);
            }
            case FP16, BF16 -> {
                short[] out = new short[count];
                in.asShortBuffer().get(out);
                yield new TensorData.Halfs(out);
            }
            case BYTES -> throw new IllegalStateException("handled above");
        };
    }

    private static TensorData readStrings(ByteBuffer in, int count, String subject) {
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 4) {
                throw SlipwayException.invalidInput(
                        "%s: raw BYTES data ends inside element %d's length (expected: %d elements)",
                        subject, i, count);
            }
            long length = in.getInt() & 0xFFFF_FFFFL;
            if (length > in.remaining()) {
                throw SlipwayException.invalidInput(
                        "%s: raw BYTES element %d claims %d bytes, %d remain", subject, i, length, in.remaining());
            }
            out[i] = new byte[(int) length];
            in.get(out[i]);
        }
        if (in.hasRemaining()) {
            throw SlipwayException.invalidInput(
                    "%s: %d bytes of raw BYTES data left after %d elements (expected: none)",
                    subject, in.remaining(), count);
        }
        return new TensorData.Strings(out);
    }

    /** The number of bytes {@link #write} produces for this data. */
    public static int size(DataType type, TensorData data) {
        if (data instanceof TensorData.Strings strings) {
            int size = 0;
            for (byte[] element : strings.values()) {
                size += 4 + element.length;
            }
            return size;
        }
        return data.size() * type.byteSize();
    }

    /** Writes data in the raw layout to {@code out} (little-endian order is set here). */
    public static void write(DataType type, TensorData data, ByteBuffer out) {
        out.order(ByteOrder.LITTLE_ENDIAN);
        if (data instanceof TensorData.Floats d) {
            for (float v : d.values()) {
                out.putFloat(v);
            }
        } else if (data instanceof TensorData.Doubles d) {
            for (double v : d.values()) {
                out.putDouble(v);
            }
        } else if (data instanceof TensorData.Longs d) {
            for (long v : d.values()) {
                if (type == DataType.UINT32) {
                    out.putInt((int) v);
                } else {
                    out.putLong(v);
                }
            }
        } else if (data instanceof TensorData.Ints d) {
            for (int v : d.values()) {
                switch (type) {
                    case INT8, UINT8 -> out.put((byte) v);
                    case INT16, UINT16 -> out.putShort((short) v);
                    default -> out.putInt(v);
                }
            }
        } else if (data instanceof TensorData.Bools d) {
            for (boolean v : d.values()) {
                out.put((byte) (v ? 1 : 0));
            }
        } else if (data instanceof TensorData.Halfs d) {
            for (short v : d.values()) {
                out.putShort(v);
            }
        } else if (data instanceof TensorData.Strings d) {
            for (byte[] v : d.values()) {
                out.putInt(v.length);
                out.put(v);
            }
        }
    }

    /** The data as a new little-endian byte array. */
    public static byte[] toBytes(DataType type, TensorData data) {
        ByteBuffer out = ByteBuffer.allocate(size(type, data));
        write(type, data, out);
        return out.array();
    }
}
