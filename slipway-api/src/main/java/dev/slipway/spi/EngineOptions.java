package dev.slipway.spi;

/**
 * Runtime settings an engine applies when loading a model.
 *
 * @param intraOpThreads threads one inference call may use (ONNX Runtime intra-op, XGBoost nthread); at least 1
 * @param interOpThreads threads for running independent graph nodes in parallel (ONNX Runtime); at least 1
 */
public record EngineOptions(int intraOpThreads, int interOpThreads) {
    /** One thread per call: the best choice for small tabular rows when many requests run concurrently. */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    /** One inter-op thread. */
    public static final int DEFAULT_INTER_OP_THREADS = 1;

    public EngineOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op-threads: " + intraOpThreads + " (expected: >= 1)");
        }
        if (interOpThreads < 1) {
            throw new IllegalArgumentException("inter-op-threads: " + interOpThreads + " (expected: >= 1)");
        }
    }

    /** The defaults. */
    public static EngineOptions defaults() {
        return new EngineOptions(DEFAULT_INTRA_OP_THREADS, DEFAULT_INTER_OP_THREADS);
    }
}
