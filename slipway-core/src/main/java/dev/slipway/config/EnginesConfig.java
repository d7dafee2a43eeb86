package dev.slipway.config;

import dev.slipway.spi.EngineOptions;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Engine runtime settings applied to every model.
 *
 * @param intraOpThreads threads one inference call may use (ONNX Runtime intra-op, XGBoost nthread); default 1
 * @param interOpThreads ONNX Runtime inter-op threads; default 1
 */
public record EnginesConfig(@Nullable Integer intraOpThreads, @Nullable Integer interOpThreads) {
    public EnginesConfig {
        intraOpThreads = intraOpThreads == null ? EngineOptions.DEFAULT_INTRA_OP_THREADS : intraOpThreads;
        interOpThreads = interOpThreads == null ? EngineOptions.DEFAULT_INTER_OP_THREADS : interOpThreads;
    }

    /** The defaults. */
    public static EnginesConfig defaults() {
        return new EnginesConfig(null, null);
    }

    /** As engine options. */
    public EngineOptions options() {
        return new EngineOptions(value(intraOpThreads), value(interOpThreads));
    }

    void problems(String path, List<String> problems) {
        if (value(intraOpThreads) < 1 || value(intraOpThreads) > 256) {
            problems.add(path + ".intra-op-threads: " + intraOpThreads + " (expected: 1..256)");
        }
        if (value(interOpThreads) < 1 || value(interOpThreads) > 256) {
            problems.add(path + ".inter-op-threads: " + interOpThreads + " (expected: 1..256)");
        }
    }

    private static int value(@Nullable Integer boxed) {
        return boxed == null ? 0 : boxed;
    }
}
