package dev.slipway.registry;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A registered model at a glance.
 *
 * @param name the model name
 * @param versions how many versions were pushed
 * @param latest the newest version, if any
 * @param aliases alias name to version
 */
public record ModelSummary(String name, int versions, @Nullable Long latest, Map<String, Long> aliases) {
    public ModelSummary {
        aliases = Map.copyOf(aliases);
    }
}
