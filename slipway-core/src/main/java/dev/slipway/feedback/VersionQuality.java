package dev.slipway.feedback;

import dev.slipway.api.manifest.OutputKind;
import java.util.List;

/**
 * The quality of one model version as one routing variant of an endpoint.
 *
 * @param model the model that answered (another than the endpoint when a fallback answered)
 * @param version its version
 * @param variant the routing variant ({@code primary}, {@code canary}, {@code pinned}, ...)
 * @param output the output judged: the manifest's first probability output, else score, else label, else value
 * @param kind that output's kind, which sets the labels expected and the metrics computed
 * @param total over every retained window
 * @param windows the most recent windows, newest first
 */
public record VersionQuality(
        String model,
        String version,
        String variant,
        String output,
        OutputKind kind,
        WindowQuality total,
        List<WindowQuality> windows) {
    public VersionQuality {
        windows = List.copyOf(windows);
    }
}
