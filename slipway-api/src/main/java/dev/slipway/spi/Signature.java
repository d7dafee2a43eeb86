package dev.slipway.spi;

import java.util.List;
import java.util.Optional;

/**
 * A model's input and output tensors.
 *
 * @param inputs the input tensors, in the order {@link ModelInstance#infer} takes them
 * @param outputs the output tensors, in the order {@link ModelInstance#infer} returns them
 */
public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The input with this name, if any. */
    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The output with this name, if any. */
    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
