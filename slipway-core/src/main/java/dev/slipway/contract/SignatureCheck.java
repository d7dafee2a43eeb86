package dev.slipway.contract;

import dev.slipway.api.DataType;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.OutputSpec;
import dev.slipway.api.manifest.TensorBinding;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compares a manifest's tensors and outputs with the signature the loaded artifact declares. */
final class SignatureCheck {
    private SignatureCheck() {}

    static List<String> problems(ModelManifest manifest, Signature signature) {
        List<String> problems = new ArrayList<>();
        for (TensorBinding binding : manifest.tensors()) {
            Optional<TensorSpec> input = signature.input(binding.name());
            if (input.isEmpty()) {
                problems.add("tensor '" + binding.name() + "' is not an input of the model (its inputs: "
                        + names(signature.inputs()) + ")");
                continue;
            }
            checkInput(binding, input.get(), manifest, problems);
        }
        for (TensorSpec input : signature.inputs()) {
            if (manifest.tensors().stream().noneMatch(t -> t.name().equals(input.name()))) {
                problems.add("model input '" + input.name() + "' " + input.datatype() + input.shape()
                        + " is not declared under tensors");
            }
        }
        for (OutputSpec output : manifest.outputs()) {
            checkOutput(output, signature, problems);
        }
        return problems;
    }

    private static void checkInput(
            TensorBinding binding, TensorSpec input, ModelManifest manifest, List<String> problems) {
        String subject = "tensor '" + binding.name() + "'";
        if (input.datatype() != binding.datatype()) {
            problems.add(
                    subject + ": datatype " + binding.datatype() + " (the model expects " + input.datatype() + ")");
        }
        List<Long> shape = input.shape();
        int width = binding.columns().size();
        boolean rankOne = shape.size() == 1 && width == 1;
        boolean rankTwo = shape.size() == 2 && (shape.get(1) == -1 || shape.get(1) == width);
        if (!rankOne && !rankTwo) {
            problems.add(subject + ": " + width + " columns, but the model's input has shape " + shape
                    + " (expected: [-1, " + width + "])");
        }
        if (!input.columnNames().isEmpty() && !input.columnNames().equals(binding.columns())) {
            problems.add(subject + ": columns " + binding.columns() + " differ from the feature names stored in the "
                    + "model " + input.columnNames() + " (order matters)");
        }
        if (binding.datatype() != DataType.FP32 && binding.datatype() != DataType.FP64) {
            for (String column : binding.columns()) {
                FeatureSpec feature = manifest.feature(column).orElseThrow();
                if (feature.nullable() && feature.defaultValue() == null) {
                    problems.add(subject + ": feature '" + column + "' is nullable without a default, but "
                            + binding.datatype() + " cannot hold a missing value");
                }
            }
        }
    }

    private static void checkOutput(OutputSpec output, Signature signature, List<String> problems) {
        String subject = "output '" + output.name() + "'";
        Optional<TensorSpec> source = signature.output(output.from());
        if (source.isEmpty()) {
            problems.add(subject + ": from '" + output.from() + "' is not an output of the model (its outputs: "
                    + names(signature.outputs()) + ")");
            return;
        }
        TensorSpec spec = source.get();
        boolean text = spec.datatype() == DataType.BYTES;
        if (!spec.datatype().numeric() && spec.datatype() != DataType.BOOL && !text) {
            problems.add(subject + ": model output '" + spec.name() + "' is " + spec.datatype()
                    + " (expected: a numeric, BOOL or BYTES tensor)");
        }
        if (text != (output.datatype() == DataType.BYTES)) {
            problems.add(subject + ": datatype " + output.datatype() + " from model output '" + spec.name() + "' of "
                    + spec.datatype() + " (expected: BYTES for BYTES, a numeric or BOOL type otherwise)");
        }
        List<Long> shape = spec.shape();
        Integer column = output.column();
        if (column != null) {
            boolean fits = shape.size() == 2 && (shape.get(1) == -1 || column < shape.get(1));
            boolean single = shape.size() == 1 && column == 0;
            if (!fits && !single) {
                problems.add(subject + ": column " + column + " does not exist in model output '" + spec.name()
                        + "' of shape " + shape);
            }
        }
        boolean perRow = column != null || shape.size() == 1 || (shape.size() == 2 && shape.get(1) == 1);
        if (output.decision() != null && !perRow) {
            problems.add(subject + ": a decision needs one value per row, but '" + spec.name() + "' has shape " + shape
                    + " (set column)");
        }
    }

    private static String names(List<TensorSpec> specs) {
        List<String> names = new ArrayList<>();
        for (TensorSpec spec : specs) {
            names.add(spec.name() + " " + spec.datatype() + spec.shape());
        }
        return String.join(", ", names);
    }
}
