package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

/**
 * The model file and the sha256 it must have.
 *
 * @param file file name relative to the manifest's directory
 * @param sha256 lower-case hex sha256 of the file's bytes
 */
public record ArtifactSpec(String file, String sha256) {
    public ArtifactSpec {
        requireNonNull(file, "file");
        requireNonNull(sha256, "sha256");
    }
}
