package dev.slipway.spi;

import dev.slipway.api.Tensor;
import java.util.List;

/**
 * A loaded model. {@link #infer} is safe to call from many threads at once; {@link #close} is called once, after the
 * last call has returned.
 */
public interface ModelInstance extends AutoCloseable {

    /** The model's input and output tensors as the artifact declares them. */
    Signature signature();

    /**
     * Runs the model on a batch.
     *
     * @param inputs one tensor per signature input, in signature order, with the first dimension being the batch
     * @return one tensor per signature output, in signature order, each with the batch as its first dimension
     * @throws dev.slipway.api.SlipwayException {@code INVALID_INPUT} for inputs that do not fit the signature, {@code
     *     ENGINE_FAILURE} when the runtime fails on valid input
     */
    List<Tensor> infer(List<Tensor> inputs);

    /** Releases native resources. */
    @Override
    void close();
}
