package dev.slipway.spi;

/**
 * A model runtime for one artifact format, found through {@link java.util.ServiceLoader}. Implementations must have a
 * public no-argument constructor and be listed in {@code META-INF/services/dev.slipway.spi.Engine}.
 */
public interface Engine {

    /** The manifest {@code format} this engine loads, such as {@code onnx}. Lower-case, unique among engines. */
    String format();

    /**
     * Loads an artifact.
     *
     * @throws dev.slipway.api.SlipwayException with {@code CONFIG_INVALID} when the file is not a model this engine
     *     can load, {@code UNSUPPORTED} when it uses something the engine does not support
     */
    ModelInstance load(ModelArtifact artifact);
}
