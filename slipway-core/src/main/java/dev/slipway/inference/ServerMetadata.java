package dev.slipway.inference;

import java.util.List;

/**
 * The server's name, version and the protocol extensions it implements.
 *
 * @param name always {@code slipway}
 * @param version the Slipway version
 * @param extensions extension names as Triton spells them
 */
public record ServerMetadata(String name, String version, List<String> extensions) {
    public ServerMetadata {
        extensions = List.copyOf(extensions);
    }
}
