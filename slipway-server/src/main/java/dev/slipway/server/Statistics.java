package dev.slipway.server;

import dev.slipway.api.SlipwayException;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelRepository;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Which model versions a statistics request covers: all, one model's, or one version. */
public final class Statistics {
    private Statistics() {}

    /**
     * The versions named by a statistics request.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} for an unknown model or version
     */
    public static List<LoadedModel> select(
            ModelRepository repository, @Nullable String model, @Nullable String version) {
        if (model == null) {
            return repository.all();
        }
        if (version == null) {
            return new ArrayList<>(repository.versions(model).values());
        }
        return List.of(
                repository.find(model, version).orElseThrow(() -> SlipwayException.modelNotFound(model, version)));
    }
}
