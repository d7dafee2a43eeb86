package dev.slipway.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where models come from.
 *
 * @param repository a folder laid out as {@code <name>/<version>/model.yaml}; relative to the working directory
 */
public record ModelsConfig(@Nullable String repository) {
    /** The sample deployment shipped with Slipway. */
    public static final String DEFAULT_REPOSITORY = "examples/whatsup-logistics/models";

    public ModelsConfig {
        repository = repository == null ? DEFAULT_REPOSITORY : repository;
    }

    /** The defaults. */
    public static ModelsConfig defaults() {
        return new ModelsConfig(null);
    }

    /** The repository path (never null after construction). */
    public String repositoryPath() {
        return java.util.Objects.requireNonNull(repository);
    }

    void problems(String path, List<String> problems) {
        if (repositoryPath().isBlank()) {
            problems.add(path + ".repository: '' (expected: a directory path)");
        }
    }
}
