package dev.slipway.parity;

import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.GoldenSpec;
import dev.slipway.contract.BoundBatch;
import dev.slipway.contract.DataContract;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Proves a served model keeps parity with the notebook: runs the golden examples through the same contract and engine
 * that serve requests, and compares every served output that the golden file has a column for.
 */
public final class ParityGate {
    private ParityGate() {}

    /** Runs the golden examples named by the contract's manifest, read from {@code directory}. */
    public static ParityReport run(DataContract contract, ModelInstance model, GoldenSpec golden, Path directory) {
        CsvRows rows;
        try {
            rows = CsvRows.read(directory.resolve(golden.file()));
        } catch (SlipwayException e) {
            return new ParityReport(List.of(), golden.tolerance(), 0, List.of(e.getMessage()));
        }
        return run(contract, model, rows, golden.tolerance());
    }

    /** Runs golden rows (features plus expected outputs) and compares them within {@code tolerance}. */
    public static ParityReport run(DataContract contract, ModelInstance model, CsvRows golden, double tolerance) {
        List<String> features =
                contract.manifest().features().stream().map(FeatureSpec::name).toList();
        List<String> missing = features.stream()
                .filter(f -> !golden.header().contains(f))
                .filter(f -> contract.manifest()
                        .feature(f)
                        .map(s -> !s.nullable() && s.defaultValue() == null)
                        .orElse(true))
                .toList();
        if (!missing.isEmpty()) {
            return new ParityReport(List.of(), tolerance, 0, List.of("golden file lacks feature columns " + missing));
        }
        if (golden.rows().isEmpty()) {
            return new ParityReport(List.of(), tolerance, 0, List.of("golden file has no rows"));
        }
        List<Tensor> outputs;
        try {
            BoundBatch batch = contract.bindRecords(golden.select(features));
            outputs = contract.serve(model.infer(batch.inputs()), List.of());
        } catch (SlipwayException e) {
            return new ParityReport(List.of(), tolerance, 0, List.of(e.getMessage()));
        }
        List<ParityRow> compared = new ArrayList<>();
        double maxError = 0;
        for (TensorSpec spec : contract.outputSpecs()) {
            if (!golden.header().contains(spec.name())) {
                continue;
            }
            Tensor output = outputs.stream()
                    .filter(t -> t.name().equals(spec.name()))
                    .findFirst()
                    .orElseThrow();
            int width = output.size() / golden.rows().size();
            for (int row = 0; row < golden.rows().size(); row++) {
                ParityRow result = compare(golden.rows().get(row), spec.name(), row, output.data(), width, tolerance);
                compared.add(result);
                if (!(output.data() instanceof TensorData.Bools) && !(output.data() instanceof TensorData.Strings)) {
                    maxError = Math.max(maxError, result.absError());
                }
            }
        }
        return new ParityReport(compared, tolerance, maxError, List.of());
    }

    /** Whether a text label is the number the golden file gave (a CSV cell {@code 3} reads as 3.0). */
    private static boolean sameNumber(String actual, @Nullable Object expected) {
        if (!(expected instanceof Double number)) {
            return false;
        }
        try {
            return Double.parseDouble(actual) == number;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ParityRow compare(
            Map<String, @Nullable Object> row, String name, int index, TensorData data, int width, double tolerance) {
        Object expected = row.get(name);
        if (width != 1) {
            return new ParityRow(
                    index,
                    name,
                    String.valueOf(expected),
                    "a row of " + width + " values",
                    Double.POSITIVE_INFINITY,
                    false);
        }
        if (data instanceof TensorData.Bools bools) {
            boolean actual = bools.values()[index];
            boolean ok = expected instanceof Boolean flag
                    ? flag == actual
                    : expected instanceof Double number && (number != 0) == actual;
            return new ParityRow(index, name, String.valueOf(expected), Boolean.toString(actual), ok ? 0 : 1, ok);
        }
        if (data instanceof TensorData.Strings strings) {
            String actual = strings.text(index);
            boolean ok = actual.equals(String.valueOf(expected)) || sameNumber(actual, expected);
            return new ParityRow(index, name, String.valueOf(expected), actual, ok ? 0 : 1, ok);
        }
        double actual = data.asDouble(index);
        if (!(expected instanceof Double number)) {
            return new ParityRow(
                    index, name, String.valueOf(expected), Double.toString(actual), Double.POSITIVE_INFINITY, false);
        }
        double error = Math.abs(actual - number);
        boolean ok = error <= tolerance || (Double.isNaN(actual) && Double.isNaN(number));
        return new ParityRow(index, name, number.toString(), Double.toString(actual), error, ok);
    }
}
