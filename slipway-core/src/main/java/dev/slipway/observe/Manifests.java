package dev.slipway.observe;

import dev.slipway.api.manifest.ModelManifest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Finds the manifest of a served model version, so listeners can name tensor columns and read output kinds. */
@FunctionalInterface
public interface Manifests {
    /** Nothing is known: every lookup is empty. */
    Manifests NONE = (model, version) -> Optional.empty();

    /**
     * The manifest of a model version, or of the version requests without a version go to when {@code version} is
     * {@code null}; empty when the model or version is not known (or failed to load).
     */
    Optional<ModelManifest> manifest(String model, @Nullable String version);
}
