package dev.slipway.contract;

import dev.slipway.api.Tensor;
import java.util.List;

/**
 * Checked engine inputs for one request.
 *
 * @param inputs one tensor per engine input, in signature order
 * @param rows the number of rows
 */
public record BoundBatch(List<Tensor> inputs, int rows) {
    public BoundBatch {
        inputs = List.copyOf(inputs);
    }
}
