package dev.slipway.api;

import java.util.Optional;

/**
 * The tensor datatypes of the Open Inference Protocol, with their exact wire names, element widths and the Java array
 * that carries their values inside Slipway.
 */
public enum DataType {
    BOOL(1, Carrier.BOOL),
    UINT8(1, Carrier.INT),
    UINT16(2, Carrier.INT),
    UINT32(4, Carrier.LONG),
    UINT64(8, Carrier.LONG),
    INT8(1, Carrier.INT),
    INT16(2, Carrier.INT),
    INT32(4, Carrier.INT),
    INT64(8, Carrier.LONG),
    FP16(2, Carrier.HALF),
    FP32(4, Carrier.FLOAT),
    FP64(8, Carrier.DOUBLE),
    BYTES(0, Carrier.BYTES),
    BF16(2, Carrier.HALF);

    /** The Java array kind that holds a datatype's elements. */
    public enum Carrier {
        /** {@code boolean[]}. */
        BOOL,
        /** {@code int[]}: INT8, INT16, INT32, UINT8, UINT16. */
        INT,
        /** {@code long[]}: INT64, UINT32, UINT64 (UINT64 with unsigned semantics). */
        LONG,
        /** {@code short[]} holding raw 16-bit float bits: FP16, BF16. */
        HALF,
        /** {@code float[]}. */
        FLOAT,
        /** {@code double[]}. */
        DOUBLE,
        /** {@code byte[][]}: one byte string per element. */
        BYTES
    }

    private final int byteSize;
    private final Carrier carrier;

    DataType(int byteSize, Carrier carrier) {
        this.byteSize = byteSize;
        this.carrier = carrier;
    }

    /** Bytes per element in the binary and raw layouts; 0 for BYTES, whose elements are length-prefixed. */
    public int byteSize() {
        return byteSize;
    }

    /** The Java array kind holding this datatype's elements. */
    public Carrier carrier() {
        return carrier;
    }

    /** Whether JSON can carry this datatype's elements (FP16 and BF16 travel only as binary). */
    public boolean jsonSupported() {
        return carrier != Carrier.HALF;
    }

    /** Whether values are numbers (every type but BOOL and BYTES). */
    public boolean numeric() {
        return carrier != Carrier.BOOL && carrier != Carrier.BYTES;
    }

    /** The inclusive lower bound of an integer datatype's values. */
    public long minIntegral() {
        return switch (this) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    /** The inclusive upper bound of an integer datatype's values (UINT64 is capped at {@code Long.MAX_VALUE}). */
    public long maxIntegral() {
        return switch (this) {
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case UINT8 -> 0xFF;
            case UINT16 -> 0xFFFF;
            case UINT32 -> 0xFFFF_FFFFL;
            case BOOL -> 1;
            default -> Long.MAX_VALUE;
        };
    }

    /** Whether this is one of the integer datatypes. */
    public boolean integral() {
        return carrier == Carrier.INT || carrier == Carrier.LONG;
    }

    /** Looks up a datatype by its exact, case-sensitive wire name. */
    public static Optional<DataType> fromWire(String name) {
        for (DataType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
