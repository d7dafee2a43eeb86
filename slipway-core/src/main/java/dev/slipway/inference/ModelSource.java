package dev.slipway.inference;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the model versions a process serves come from: a folder of {@code <name>/<version>/} directories, or a model
 * registry. {@link ModelRepository} asks it what to serve and where each version's files are.
 */
public interface ModelSource {

    /**
     * The versions to serve now.
     *
     * @param versions the version numbers to load
     * @param defaultVersion the version requests without a version go to ({@code production} in a registry), or
     *     {@code null} for the highest ready one
     */
    record Desired(List<Long> versions, @Nullable Long defaultVersion) {
        public Desired {
            versions = List.copyOf(versions);
        }
    }

    /** Every model to serve, by name. */
    Map<String, Desired> desired();

    /** A directory holding the version's files ({@code model.yaml} and what it names), checked and ready to load. */
    Path directory(String name, long version);

    /**
     * Whether a version's manifest must state the version its directory is named after. Folders say yes; a registry
     * numbers versions itself, whatever the manifest says.
     */
    boolean strictVersions();

    /** Where models come from, for humans. */
    String describe();
}
