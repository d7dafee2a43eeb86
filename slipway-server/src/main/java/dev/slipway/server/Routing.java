package dev.slipway.server;

import dev.slipway.api.InferenceResponse;
import dev.slipway.api.SlipwayException;
import dev.slipway.rollout.EndpointPolicy;
import dev.slipway.rollout.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What both protocols read for routing (the routing key, the pin header) and write back (which variant, version and
 * routing epoch answered), so REST and gRPC route and stamp alike.
 */
public final class Routing {
    /** The request header pinning a version (operator role). */
    public static final String PIN_HEADER = "Slipway-Model-Version";

    /** Response header: the variant that answered. */
    public static final String VARIANT_HEADER = "Slipway-Variant";

    /** Response header: the model that answered (another model when a fallback answered). */
    public static final String MODEL_HEADER = "Slipway-Model";

    /** Response header: the routing table's epoch. */
    public static final String EPOCH_HEADER = "Slipway-Routing-Epoch";

    /** Response parameter: the variant that answered. */
    public static final String VARIANT_PARAMETER = "slipway_variant";

    /** Response parameter: the routing table's epoch. */
    public static final String EPOCH_PARAMETER = "slipway_routing_epoch";

    private static final int MAX_KEY_LENGTH = 256;

    private Routing() {}

    /**
     * The pinned version of the pin header, or none.
     *
     * @throws SlipwayException {@code INVALID_INPUT} for a value that is not a version number
     */
    public static @Nullable Long pinned(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (!value.matches("[1-9][0-9]{0,17}")) {
            throw SlipwayException.invalidInput(
                    "header %s: '%s' (expected: a version number, such as 3)", PIN_HEADER, abbreviate(value));
        }
        return Long.parseLong(value);
    }

    /**
     * The routing key: the request parameter named by the endpoint's policy, else its header, else none.
     *
     * @throws SlipwayException {@code INVALID_INPUT} for a key that is not a string or integer, or is too long
     */
    public static @Nullable String key(
            EndpointPolicy policy, Map<String, Object> parameters, Function<String, @Nullable String> headers) {
        String name = policy.routingKey().parameter();
        Object parameter = parameters.get(name);
        String key;
        if (parameter != null) {
            if (!(parameter instanceof String) && !(parameter instanceof Long) && !(parameter instanceof Integer)) {
                throw SlipwayException.invalidInput(
                        "parameters.%s: %s (expected: a string or integer routing key)", name, parameter);
            }
            key = parameter.toString();
        } else {
            key = headers.apply(policy.routingKey().header());
        }
        if (key != null && key.length() > MAX_KEY_LENGTH) {
            throw SlipwayException.invalidInput(
                    "routing key '%s': %d characters (expected: at most %d)",
                    abbreviate(key), key.length(), MAX_KEY_LENGTH);
        }
        return key;
    }

    /** The response with the variant and routing epoch among its parameters. */
    public static InferenceResponse stamp(Router.Routed<InferenceResponse> routed) {
        InferenceResponse response = routed.response();
        Map<String, Object> parameters = new LinkedHashMap<>(response.parameters());
        parameters.put(VARIANT_PARAMETER, routed.variant());
        parameters.put(EPOCH_PARAMETER, routed.epoch());
        return new InferenceResponse(
                response.model(), response.version(), response.id(), response.outputs(), parameters);
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
