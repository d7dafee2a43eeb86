package dev.slipway.inference;

/**
 * Bounds on one request, so no request can exhaust memory.
 *
 * @param maxBodyBytes the largest request body accepted, in bytes
 * @param maxRows the most rows (batch size) in one request
 * @param maxTensorElements the most elements in one input tensor
 */
public record Limits(long maxBodyBytes, int maxRows, long maxTensorElements) {
    /** 16 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L << 20;

    /** 65,536 rows. */
    public static final int DEFAULT_MAX_ROWS = 65_536;

    /** 4,194,304 elements (16 MiB of FP32). */
    public static final long DEFAULT_MAX_TENSOR_ELEMENTS = 4L << 20;

    public Limits {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max-body-bytes: " + maxBodyBytes + " (expected: >= 1024)");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("max-rows: " + maxRows + " (expected: >= 1)");
        }
        if (maxTensorElements < 1) {
            throw new IllegalArgumentException("max-tensor-elements: " + maxTensorElements + " (expected: >= 1)");
        }
    }

    /** The defaults. */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ROWS, DEFAULT_MAX_TENSOR_ELEMENTS);
    }
}
