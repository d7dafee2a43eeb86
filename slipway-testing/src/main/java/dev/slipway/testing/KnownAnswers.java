package dev.slipway.testing;

import dev.slipway.api.Tensor;
import java.util.List;

/**
 * Inputs and the outputs a reference implementation (the Python library that made the fixture) computed for them.
 *
 * @param inputs one tensor per model input, in signature order
 * @param output the name of the output compared
 * @param expected the expected values of that output, flattened row-major
 * @param tolerance the largest accepted absolute difference
 */
public record KnownAnswers(List<Tensor> inputs, String output, double[] expected, double tolerance) {
    public KnownAnswers {
        inputs = List.copyOf(inputs);
        expected = expected.clone();
    }
}
