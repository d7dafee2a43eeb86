package dev.slipway.observe;

import dev.slipway.api.InferenceRequest;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.SlipwayException;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelRepository;
import dev.slipway.rollout.Router;
import dev.slipway.rollout.RoutingTable;
import org.jspecify.annotations.Nullable;

/**
 * Which model version a served event counts against, with label values bounded to what the server knows: a request
 * that was answered counts against the version that answered. A failed one counts against the version its URL named,
 * or, when its endpoint does not split traffic, against the version that would serve it (the one that failed); a
 * failure of a split endpoint, or of a request that never reached a version, counts against {@link #NONE}.
 */
public final class Attribution {
    /** The label value of a version or variant when nothing answered. */
    public static final String NONE = "none";

    /** The label value of a model name the server does not know (a caller's typo must not make a new series). */
    public static final String UNKNOWN = "unknown";

    private final ModelRepository repository;
    private final @Nullable Router router;

    /** Attribution over a repository, and the router when requests are routed. */
    public Attribution(ModelRepository repository, @Nullable Router router) {
        this.repository = repository;
        this.router = router;
    }

    /** The model label: the one that answered, else the endpoint if known, else {@link #UNKNOWN}. */
    public String model(Served event) {
        String model = event.model();
        if (model != null) {
            return model;
        }
        return repository.contains(event.endpoint()) ? event.endpoint() : UNKNOWN;
    }

    /** The version label: see the class description; {@link #NONE} when no version can be named. */
    public String version(Served event) {
        String answered = event.version();
        if (answered != null) {
            return answered;
        }
        LoadedModel model = failedVersion(event);
        return model == null ? NONE : model.versionString();
    }

    /** The version a failed request counts against, if one can be named. */
    public @Nullable LoadedModel failedVersion(Served event) {
        String endpoint = event.endpoint();
        if (!repository.contains(endpoint)) {
            return null;
        }
        String named = namedVersion(event.request());
        if (named != null && !named.isEmpty()) {
            return repository.find(endpoint, named).orElse(null);
        }
        if (router != null) {
            RoutingTable table = router.table(endpoint).orElse(null);
            if (table != null && table.split()) {
                return null;
            }
        }
        try {
            return repository.resolve(endpoint, null);
        } catch (SlipwayException e) {
            return null;
        }
    }

    private static @Nullable String namedVersion(@Nullable Object request) {
        if (request instanceof InferenceRequest tensors) {
            return tensors.version();
        }
        if (request instanceof RecordsRequest records) {
            return records.version();
        }
        return null;
    }
}
