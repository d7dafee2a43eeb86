package dev.slipway.spi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * What an engine needs to load a model.
 *
 * @param file the artifact file, already checked against its sha256
 * @param options threading and other runtime settings
 */
public record ModelArtifact(Path file, EngineOptions options) {
    public ModelArtifact {
        requireNonNull(file, "file");
        requireNonNull(options, "options");
    }

    /** An artifact with default engine options. */
    public static ModelArtifact of(Path file) {
        return new ModelArtifact(file, EngineOptions.defaults());
    }
}
