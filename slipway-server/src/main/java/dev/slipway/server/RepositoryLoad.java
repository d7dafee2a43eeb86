package dev.slipway.server;

import dev.slipway.api.SlipwayException;
import java.util.Collection;

/**
 * The load call of the model repository extension: it (re)loads a model from what the repository holds. Triton's
 * {@code config} and {@code file:<version>/<name>} parameters supply a model's files with the call instead; Slipway
 * refuses them rather than ignore them, since a version must pass its manifest checks and parity gate first.
 */
public final class RepositoryLoad {
    private RepositoryLoad() {}

    /**
     * @throws SlipwayException {@code UNSUPPORTED} naming the first parameter that supplies files or a configuration
     */
    public static void refuseSuppliedFiles(Collection<String> parameterNames) {
        for (String name : parameterNames) {
            if (name.equals("config") || name.startsWith("file:")) {
                throw SlipwayException.unsupported(
                        "load parameter '%s': supplying a model's files or configuration with the load call is not "
                                + "supported (expected: no such parameter; add versions with 'slipway models push' or "
                                + "to the model folder, then load)",
                        name.length() > 80 ? name.substring(0, 80) + "..." : name);
            }
        }
    }
}
