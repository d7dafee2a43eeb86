package dev.slipway.inference;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.spi.Engine;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The engines available to this process, by format, found through {@link ServiceLoader}. */
public final class Engines {
    private final Map<String, Engine> byFormat;

    private Engines(Map<String, Engine> byFormat) {
        this.byFormat = Map.copyOf(byFormat);
    }

    /** The engines on the class path. */
    public static Engines discover() {
        Map<String, Engine> found = new TreeMap<>();
        for (Engine engine : ServiceLoader.load(Engine.class)) {
            found.putIfAbsent(engine.format(), engine);
        }
        return new Engines(found);
    }

    /** Exactly these engines (for tests and embedding). */
    public static Engines of(List<Engine> engines) {
        Map<String, Engine> found = new TreeMap<>();
        for (Engine engine : engines) {
            found.putIfAbsent(engine.format(), engine);
        }
        return new Engines(found);
    }

    /**
     * The engine for a format.
     *
     * @throws SlipwayException {@code CONFIG_INVALID} naming the formats that are available
     */
    public Engine forFormat(String format) {
        Engine engine = byFormat.get(format);
        if (engine == null) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "format '" + format + "' has no engine (expected: one of " + String.join(", ", formats()) + ")");
        }
        return engine;
    }

    /** The available formats, sorted. */
    public List<String> formats() {
        return List.copyOf(new TreeMap<>(byFormat).keySet());
    }
}
