package dev.slipway.registry;

import java.nio.file.Path;

/**
 * Content-addressed storage of model files: each file is stored once under its sha256, whatever its name, and
 * read back only after its bytes are checked against that digest.
 */
public interface ArtifactStore {

    /**
     * A stored file.
     *
     * @param sha256 lower-case hex digest of its bytes
     * @param size its length in bytes
     */
    record Stored(String sha256, long size) {}

    /** Stores a file's bytes (atomically: a crash leaves the blob whole or absent) and returns its digest. */
    Stored put(Path file);

    /**
     * Copies the blob with this digest to {@code target}, checking its bytes on the way.
     *
     * @throws dev.slipway.api.SlipwayException {@code CONFIG_INVALID} when the blob is missing, or changed or truncated
     *     since it was stored
     */
    void copyTo(String sha256, Path target);
}
