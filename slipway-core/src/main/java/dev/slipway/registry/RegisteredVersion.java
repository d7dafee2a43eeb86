package dev.slipway.registry;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model version in the registry and what was recorded when it was pushed.
 *
 * @param model the model name
 * @param version the version number the registry gave it
 * @param format the engine format
 * @param artifactSha256 the model file's digest
 * @param manifest the manifest text as pushed
 * @param pushedBy who pushed it
 * @param pushedAt when
 * @param source where it came from (a notebook run, a commit), if said
 * @param parity the parity gate's result at push time
 * @param archived whether it was archived (no longer servable)
 * @param aliases the aliases that point at it
 * @param files its files
 */
public record RegisteredVersion(
        String model,
        long version,
        String format,
        String artifactSha256,
        String manifest,
        String pushedBy,
        Instant pushedAt,
        @Nullable String source,
        String parity,
        boolean archived,
        List<String> aliases,
        List<VersionFile> files) {
    public RegisteredVersion {
        aliases = List.copyOf(aliases);
        files = List.copyOf(files);
    }
}
